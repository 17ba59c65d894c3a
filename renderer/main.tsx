/** Starts the screen over the desktop app's preload, or over the browser mode's WebSocket. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import './styles.css';
import { ipcTransport } from './transport/ipc';
import { takeToken, whenOpen, wsTransport } from './transport/ws';

const transport = window.lanyard
  ? ipcTransport(window.lanyard)
  : wsTransport(`ws://${location.host}/station?token=${encodeURIComponent(takeToken())}`);

void whenOpen(transport).then(() =>
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App transport={transport} />
    </StrictMode>,
  ),
);
