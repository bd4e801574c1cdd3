import { connect, post } from '../shared/host';

// The publish panel (issue 7) grows here. Today the bundle proves the build and the protocol
// handshake: it renders the host's answer as text, never as HTML.
connect((message) => {
  const root = document.getElementById('root');
  if (!root) {
    return;
  }
  if (message.type === 'init') {
    root.textContent = `protocol ${message.protocol}`;
  } else if (message.type === 'error') {
    root.textContent = message.message;
    post({ type: 'log', level: 'warn', message: message.message });
  }
});
