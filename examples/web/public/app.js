// The demo: the client in cookie mode. The refresh token never reaches this script (HttpOnly cookie on the
// service's origin); the access token lives in the client's memory only.
import { createAuthClient, AuthApiError } from '/client/index.js';
import { apiUrl } from '/config.js';

const params = new URLSearchParams(location.search);
const client = createAuthClient({
  baseUrl: apiUrl,
  mode: 'cookie',
  // ?proactive=0 leaves reissue to `401 token_expired` alone (the browser tests use it to see that path).
  refreshAheadSeconds: params.get('proactive') === '0' ? 0 : 30,
});

const $ = (id) => document.getElementById(id);
let reissues = 0;
let calls = 0;

function show(signedIn) {
  $('state').textContent = signedIn ? 'signed in' : 'signed out';
  $('state').dataset.state = signedIn ? 'signed-in' : 'signed-out';
  $('signed-in').hidden = !signedIn;
  $('signed-out').hidden = signedIn;
}

function fail(error) {
  $('error').textContent = error instanceof AuthApiError ? `${error.status} ${error.code}: ${error.message}` : String(error);
}

client.onReissue((event) => {
  reissues += 1;
  $('reissues').textContent = String(reissues);
  $('reissues').dataset.lastSource = event.source;
  $('reissue-flash').hidden = false;
  setTimeout(() => ($('reissue-flash').hidden = true), 2000);
});

client.onSessionEnd((reason) => {
  $('session-end').textContent = `Session ended: ${reason}`;
  $('session-end').dataset.reason = reason;
  show(false);
});

async function action(run) {
  $('error').textContent = '';
  try {
    await run();
  } catch (error) {
    fail(error);
  } finally {
    calls += 1;
    $('calls').textContent = String(calls);
  }
}

const fields = (form) => Object.fromEntries(new FormData(form));

$('signup-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void action(async () => {
    const user = await client.signup(fields(event.target));
    $('signup-result').textContent = `created ${user.username}`;
  });
});

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  void action(async () => {
    await client.login(fields(event.target));
    $('session-end').textContent = '';
    delete $('session-end').dataset.reason;
    show(true);
  });
});

$('me').addEventListener('click', () =>
  action(async () => {
    $('me-result').textContent = JSON.stringify(await client.me(), null, 2);
  }),
);

async function listSessions() {
  const list = $('sessions');
  list.replaceChildren();
  for (const session of await client.sessions()) {
    const item = document.createElement('li');
    item.dataset.sessionId = session.id;
    item.textContent = `${session.current ? '(this one) ' : ''}${session.userAgent ?? '?'} · last used ${session.lastUsedAt} `;
    const end = document.createElement('button');
    end.type = 'button';
    end.textContent = 'End';
    end.addEventListener('click', () => action(async () => (await client.endSession(session.id), listSessions())));
    item.append(end);
    list.append(item);
  }
}

$('list-sessions').addEventListener('click', () => action(listSessions));

$('logout').addEventListener('click', () =>
  action(async () => {
    await client.logout();
    show(false);
  }),
);

$('logout-all').addEventListener('click', () => action(() => client.logoutAll('all')));

// Another tab may be signed in already, or the cookie may still hold a live session after a reload.
show(false);
$('state').textContent = 'restoring…';
client.restore().then(show, fail);
