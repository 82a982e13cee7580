/** The CLI's usage text, apart from the commands so `form-studio --help` loads nothing heavy. */
export const USAGE = `Usage: form-studio <command> [options]      (every command takes --home DIR)

Commands:
  serve [--port N] [--no-open]                Start browser mode (web host on 127.0.0.1)
  info                                        Show the project and where its data lives
  datasets list                               The dataset catalog and what is on disk
  datasets download ucf101|coco               Download (resumable, verified), extract, import
  datasets import <folder> [--split train|test]   Import your own videos (.mp4 .mov .avi .mkv)
  labels export <file.csv>                    Write the toolkit's exercise_scores.csv
  labels import <file.csv> [--dry-run]        Import labels from exercise_scores.csv (validated; all or nothing)
  keypoints [--variant lite|full|heavy] [--num-frames 24] [--no-cache]   Extract pose keypoints (headless Chromium)
  train [options]                             Train a model (see form-studio train --help)
  models                                      List the project's models
  score <video> [--model ID|PATH] [--no-cache]   Score a video (prints the toolkit's result block)
  export [--model ID] [--output F.tflite] [--no-optimize] [--quantize] [--float16] [--test]
  train [--epochs N] [--batch-size N] …        Train the scoring model (the toolkit's train.py; see train --help)

Environment: FORM_STUDIO_HOME sets the data folder; FFMPEG_PATH, FFPROBE_PATH and CHROMIUM_PATH the tools\n(else a working installed one, else the one shipped in node_modules; "info" shows which).`;
