/** The preload of every Lanyard window (sandboxed, context-isolated): exposes `window.lanyard` and nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('lanyard', createBridge(ipcRenderer));
