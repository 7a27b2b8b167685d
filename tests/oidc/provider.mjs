// The tests' own OpenID Connect provider: panva/node-oidc-provider (an OpenID Certified implementation) on
// 127.0.0.1, started by tests/oidc/provider.py. Its sign-in page is the library's development one: any login
// name, any password. The accounts and their groups, the signing key, the client and its redirect addresses come
// from the environment, so a test knows them all.
import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const accounts = JSON.parse(process.env.OIDC_ACCOUNTS);  // {"alice": {"email": ..., "name": ..., "groups": [...]}}
const client = JSON.parse(process.env.OIDC_CLIENT);      // client_id, client_secret, redirect_uris, post_logout_redirect_uris

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{ ...client, grant_types: ['authorization_code'], response_types: ['code'],
              token_endpoint_auth_method: 'client_secret_post' }],
  jwks: { keys: [JSON.parse(process.env.OIDC_SIGNING_KEY)] },
  cookies: { keys: ['tests-only-not-a-secret'] },
  // The groups come with the profile, in the ID token, as Microsoft Entra ID sends them (no scope of their own).
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'given_name', 'family_name', 'preferred_username', 'groups'] },
  scopes: ['openid', 'email', 'profile'],
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  // A first-party app, consented for by the organisation (as in Entra ID): no consent screen after sign-in.
  async loadExistingGrant(ctx) {
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    await grant.save();
    return grant;
  },
  async findAccount(ctx, id) {
    const account = accounts[id];
    if (!account) return undefined;
    return { accountId: id, async claims() { return { sub: id, preferred_username: id, ...account }; } };
  },
});
// What the provider refused and why, in its log (tests/oidc/provider.py shows it when a test fails).
for (const event of ['authorization.error', 'grant.error', 'end_session.error', 'server_error']) {
  provider.on(event, (ctx, error) => console.log(event, error.message, error.error_description || '', error.cause || ''));
}
provider.listen(port, '127.0.0.1', () => console.log(`ready ${port}`));
