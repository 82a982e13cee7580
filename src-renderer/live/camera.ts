/** Camera access with errors a trainer can act on. */

export class CameraError extends Error {
  constructor(
    readonly kind: 'denied' | 'none' | 'busy' | 'unplugged' | 'unsupported' | 'other',
    message: string,
  ) {
    super(message);
  }
}

export async function listCameras(): Promise<MediaDeviceInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const all = await navigator.mediaDevices.enumerateDevices();
  return all.filter((d) => d.kind === 'videoinput');
}

/** Open camera N (the toolkit's `--camera N`: index into the list of cameras) or a device id. */
export async function openCamera(choice: { index?: number; deviceId?: string }): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new CameraError(
      'unsupported',
      'This window cannot use a camera (no mediaDevices API). In browser mode, use http://127.0.0.1 or localhost.',
    );
  }
  let deviceId = choice.deviceId;
  if (!deviceId && choice.index !== undefined) {
    const cams = await listCameras();
    if (cams.length > 0 && cams[choice.index]?.deviceId) deviceId = cams[choice.index].deviceId;
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      video: {
        ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
        width: { ideal: 1280 },
        height: { ideal: 720 },
        frameRate: { ideal: 30 },
      },
      audio: false,
    });
  } catch (err) {
    const name = (err as DOMException).name;
    if (name === 'NotAllowedError' || name === 'SecurityError')
      throw new CameraError(
        'denied',
        'Camera permission was denied. Allow camera access for Form Studio (browser: the camera icon in the address bar; desktop: system privacy settings), then press Start camera.',
      );
    if (name === 'NotFoundError' || name === 'OverconstrainedError')
      throw new CameraError('none', 'No camera found. Connect a camera, or score a video file instead.');
    if (name === 'NotReadableError' || name === 'AbortError')
      throw new CameraError(
        'busy',
        'The camera is in use by another application or could not start. Close the other app and try again.',
      );
    throw new CameraError('other', `The camera could not start: ${(err as Error).message}`);
  }
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((t) => t.stop());
}
