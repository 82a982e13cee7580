"""Load an app model's weights (export-dataset --model) into the Keras model train_keras.py builds and compare
its predictions with the app's on every exported row. Prints one JSON line: max differences."""
import importlib.util, json, os, sys
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
os.environ.setdefault('CUDA_VISIBLE_DEVICES', '')
import numpy as np

d = sys.argv[1]
spec = importlib.util.spec_from_file_location('train_keras', os.path.join(d, 'train_keras.py'))
tk = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tk)
model = tk.load_app_weights(tk.build_model(), d)
x, y, ex, split = tk.read_dataset(os.path.join(d, 'dataset.parquet'))
out = model.predict(x, verbose=0, batch_size=16)
out = out if isinstance(out, list) else [out]
app = json.load(open(os.path.join(d, 'app_predictions.json')))
score01 = out[0][:, 0]
app01 = np.asarray(app['scores'], dtype=np.float64) / 100.0
res = {'rows': int(x.shape[0]), 'params': int(model.count_params()), 'maxScoreDiff01': float(np.max(np.abs(score01 - app01))), 'maxScoreDiffPoints': float(np.max(np.abs(score01 * 100 - app01 * 100)))}
if app['exerciseProbs'] is not None:
    res['maxProbDiff'] = float(np.max(np.abs(out[1] - np.asarray(app['exerciseProbs']))))
print(json.dumps(res))
