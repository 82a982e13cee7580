"""For each export-dataset --model folder given: load the app model's weights into the Keras model its train_keras.py
builds and compare its predictions with the app's on every exported row. Prints one JSON line per folder, in order:
max differences. Several folders share one process (TensorFlow's import costs seconds)."""
import importlib.util, json, os, sys
os.environ.setdefault('TF_CPP_MIN_LOG_LEVEL', '2')
os.environ.setdefault('CUDA_VISIBLE_DEVICES', '')
import numpy as np

def check(d):
    spec = importlib.util.spec_from_file_location('train_keras', os.path.join(d, 'train_keras.py'))
    tk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tk)  # each folder's own script (its own SPEC): a fresh module per folder
    model = tk.load_app_weights(tk.build_model(), d)
    x, y, ex, split = tk.read_dataset(os.path.join(d, 'dataset.parquet'))
    out = model.predict(x, verbose=0, batch_size=16)
    out = out if isinstance(out, list) else [out]
    app = json.load(open(os.path.join(d, 'app_predictions.json')))
    score01 = out[0][:, 0]
    app01 = np.asarray(app['scores'], dtype=np.float64) / 100.0
    res = {'dir': d, 'rows': int(x.shape[0]), 'params': int(model.count_params()), 'maxScoreDiff01': float(np.max(np.abs(score01 - app01))), 'maxScoreDiffPoints': float(np.max(np.abs(score01 * 100 - app01 * 100)))}
    if app['exerciseProbs'] is not None:
        res['maxProbDiff'] = float(np.max(np.abs(out[1] - np.asarray(app['exerciseProbs']))))
    return res


for d in sys.argv[1:]:
    print(json.dumps(check(d)), flush=True)
