// The pages an account mail links to. The token arrives in the URL fragment (#token=…), which browsers never
// send to a server nor put in a Referer; it is read once, then removed from the address bar.
(() => {
  'use strict';
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  history.replaceState(null, '', location.pathname + location.search);

  const form = document.querySelector('form[data-action]');
  const status = document.querySelector('[role="status"]');
  const api = new URL('../', location.href); // these pages live at <service>/account/

  const show = (outcome, text) => {
    status.dataset.outcome = outcome;
    status.textContent = text;
  };

  const ACTIONS = {
    'verify-email': {
      path: 'auth/email/verify',
      body: () => ({ token }),
      done: 'Your email address is verified. You can close this page.',
    },
    'confirm-email-change': {
      path: 'auth/email/change',
      body: () => ({ token }),
      done: 'Your account now uses this email address. You can close this page.',
    },
    'reset-password': {
      path: 'auth/password/reset',
      body: (fields) => {
        if (fields.get('newPassword') !== fields.get('repeat')) throw new Error('The two passwords differ.');
        return { token, newPassword: fields.get('newPassword') };
      },
      done: 'Your password is changed and every session has been signed out. Log in with the new password.',
    },
  };

  const MESSAGES = {
    link_invalid: 'This link is invalid, used or expired. Ask for a new one.',
    rate_limited: 'Too many attempts. Wait a moment and try again.',
    user_exists: 'Another account uses this email address now.',
  };

  if (!token) {
    show('error', 'This page needs the link from your email, with its token.');
    form.hidden = true;
    return;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const action = ACTIONS[form.dataset.action];
    let body;
    try {
      body = action.body(new FormData(form));
    } catch (error) {
      show('error', error.message);
      return;
    }
    form.querySelector('button').disabled = true;
    show('busy', 'One moment…');
    try {
      const res = await fetch(new URL(action.path, api), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
      if (res.ok) {
        form.hidden = true;
        show('done', action.done);
        return;
      }
      const problem = await res.json().catch(() => ({}));
      show('error', MESSAGES[problem.code] ?? problem.message ?? 'Something went wrong. Try again later.');
    } catch {
      show('error', 'The service cannot be reached. Try again later.');
    }
    form.querySelector('button').disabled = false;
  });
})();
