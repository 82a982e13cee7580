/** The CLI's usage text, apart from the commands so `form-studio --help` loads nothing heavy. */
export const USAGE = `Usage: form-studio <command> [options]      (every command takes --home DIR)

Commands:
  serve [--port N] [--no-open]                Start browser mode (web host on 127.0.0.1)
  info                                        Show the project and where its data lives
  datasets list                               The dataset catalog and what is on disk
  datasets download ucf101|coco               Download (resumable, verified), extract, import
  datasets import <folder> [--split train|test] [--no-labels] [--allow-unknown]
                  Import your own videos (.mp4 .mov .avi .mkv); the toolkit's data folder keeps its paths
                  and its exercise_scores.csv is previewed and applied (--no-labels skips it)
  labels export <file.csv>                    Write the toolkit's exercise_scores.csv (its own paths)
  labels import <file.csv> [--dry-run] [--allow-unknown]
                  Import labels (validated; all or nothing; an unknown or ambiguous path exits 1
                  unless --allow-unknown skips it)
  keypoints [--variant lite|full|heavy] [--num-frames 24] [--no-cache]   Extract pose keypoints (headless Chromium)
  keypoints manifest [--out videos.jsonl] [--folder DIR] [--variant V] [--num-frames N]
                  List a project's (or a folder's) videos for sharded extraction
  keypoints --manifest videos.jsonl --shard I/N --out DIR [--videos ROOT]
                  Extract one shard (I may come from JOB_COMPLETION_INDEX: --shard /N) to Parquet
  keypoints import DIR…                       Merge finished shards into the project's keypoint cache
  export-dataset --out DIR [--high-accuracy] [--model ID|F.fsmodel]
                  Training data as Parquet + train_keras.py (same model, Keras under Ray Train)
  train [options]                             Train a model (see form-studio train --help)
  models                                      List the project's models
  score <video> [--model ID|PATH] [--no-cache] [--exercise auto|squat|…] [--json]
                  Score a video: the toolkit's result block, then Reps: N (or Hold: S s)
                  PATH may be a .tflite, .fsmodel or a Keras .keras/.h5 (with [--score-scale N]
                  [--class-names a,b,…] [--reshape-input]; see "Import model" in the README)
  evaluate [--split test] [--model ID|PATH] [--json] [--csv]   Evaluate a model on every labeled video of a split
  export [--model ID|F.keras|F.h5] [--output F.tflite] [--no-optimize] [--quantize] [--float16] [--test]
  train [--epochs N] [--batch-size N] …        Train the scoring model (the toolkit's train.py; see train --help)
  cues rules | cues train <file.csv> …        Form cue table; train a learned cue model from a landmark CSV (--save: into the project)
  cues settings | cues set <ex> [<cue>] --off|--on|--threshold X|--reset | cues models   The project's cue settings and learned models

Environment: FORM_STUDIO_HOME sets the data folder; FFMPEG_PATH, FFPROBE_PATH and CHROMIUM_PATH the tools\n(else a working installed one, else the one shipped in node_modules; "info" shows which).`;
