/**
 * Exposes exactly the typed API to the page (contextBridge): one `call` and one event subscription.
 * No Node, no ipcRenderer, no arbitrary channels reach the renderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('formStudio', {
  call: (name: string, input: unknown) => ipcRenderer.invoke('api', String(name), input),
  onEvent: (listener: (e: unknown) => void) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on('api-event', wrapped);
    return () => ipcRenderer.removeListener('api-event', wrapped);
  },
});
