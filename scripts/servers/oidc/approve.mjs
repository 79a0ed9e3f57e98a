// Approves a device flow's user code as a person at a browser would, for cargo-harmony's tests.
//
//   node approve.mjs ISSUER USER_CODE [LOGIN]
//
// Walks oidc-provider's devInteractions pages with a cookie jar: confirm the code, log in as
// LOGIN (default `alice`; any name is accepted), then consent. Exits 0 on the success page.
const [issuer, userCode, login = 'alice'] = process.argv.slice(2);
if (!issuer || !userCode) {
  console.error('usage: node approve.mjs ISSUER USER_CODE [LOGIN]');
  process.exit(2);
}

const jar = new Map();
function remember(response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
  }
}

// One request with the jar's cookies; redirects are followed by hand, so each sets its cookies.
async function request(url, form) {
  let target = new URL(url, issuer);
  let init = form
    ? { method: 'POST', body: new URLSearchParams(form), headers: { 'content-type': 'application/x-www-form-urlencoded' } }
    : { method: 'GET' };
  for (let hops = 0; hops < 10; hops += 1) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(target, { ...init, headers: { ...init.headers, cookie }, redirect: 'manual' });
    remember(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      target = new URL(location, target);
      init = { method: 'GET' };
      continue;
    }
    return { url: target, status: response.status, body: await response.text() };
  }
  throw new Error(`too many redirects from ${url}`);
}

function field(body, name) {
  const match = body.match(new RegExp(`name="${name}" value="([^"]*)"`));
  if (!match) throw new Error(`no ${name} field in the page`);
  return match[1];
}

const page = await request(`/device?user_code=${encodeURIComponent(userCode)}`);
const xsrf = field(page.body, 'xsrf');
await request('/device', { xsrf, user_code: userCode });
let step = await request('/device', { xsrf, user_code: userCode, confirm: 'yes' });
for (let round = 0; round < 4 && step.url.pathname.startsWith('/interaction/'); round += 1) {
  const prompt = step.body.includes('name="login"') ? 'login' : 'consent';
  const form = prompt === 'login' ? { prompt, login, password: 'x' } : { prompt };
  step = await request(step.url.pathname, form);
}
if (step.status !== 200 || !/success|signed in|connected/i.test(step.body)) {
  console.error(`approval did not finish: HTTP ${step.status} at ${step.url.pathname}`);
  console.error(step.body.slice(0, 500));
  process.exit(1);
}
console.log(`approved ${userCode} as ${login}`);
