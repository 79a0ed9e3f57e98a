// A local OIDC provider with the device flow (RFC 8628), for cargo-harmony's tests only.
//
//   node provider.mjs PORT [CLIENT_ID]
//
// Listens on 127.0.0.1:PORT, signs with an RS256 key made at start (published at /jwks), and
// accepts any login name through oidc-provider's built-in forms (devInteractions). Prints
// `ready ISSUER` on stdout once it listens.
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import Provider from 'oidc-provider';

const port = Number(process.argv[2]);
const clientId = process.argv[3] ?? 'harmony-cli';
if (!Number.isInteger(port) || port <= 0) {
  console.error('usage: node provider.mjs PORT [CLIENT_ID]');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    token_endpoint_auth_method: 'none',
    grant_types: ['urn:ietf:params:oauth:grant-type:device_code', 'refresh_token'],
    response_types: [],
    redirect_uris: [],
  }],
  jwks: { keys: [signingKey] },
  features: {
    deviceFlow: { enabled: true },
    devInteractions: { enabled: true },
    // The device flow's ID token is what OpenBao's JWT auth checks: its audience is the client id.
    resourceIndicators: { enabled: false },
  },
  claims: { openid: ['sub'], email: ['email'], groups: ['groups'] },
  scopes: ['openid', 'email', 'groups', 'offline_access'],
  // Put the email and groups claims in the ID token itself, as Zitadel can, so OpenBao roles
  // can bind on them.
  conformIdTokenClaims: false,
  async findAccount(_ctx, id) {
    return {
      accountId: id,
      async claims() {
        return { sub: id, email: `${id}@example.test`, groups: ['harmony-developers'] };
      },
    };
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
