// A small OpenID Connect provider for the single sign-on tests
// (tests/api/sso_real.rs): panva's node-oidc-provider, certified, with one
// confidential client and one account, and an interaction that signs the
// account in and consents at once, so a plain HTTP client (following
// redirects with a cookie jar) walks the whole authorization code flow.
//
//   node oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI SUB EMAIL EMAIL_VERIFIED
//
// Listens on 127.0.0.1:PORT only; prints `ready <issuer>` once it answers.
import { generateKeyPairSync } from 'node:crypto';
import Provider from 'oidc-provider';

const [port, clientId, clientSecret, redirectUri, sub, email, emailVerified] = process.argv.slice(2);
if (!port || !clientId || !clientSecret || !redirectUri || !sub || !email) {
  console.error('usage: node oidc-provider.mjs PORT CLIENT_ID CLIENT_SECRET REDIRECT_URI SUB EMAIL EMAIL_VERIFIED');
  process.exit(2);
}
const issuer = `http://127.0.0.1:${port}`;
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const jwk = { ...privateKey.export({ format: 'jwk' }), kid: 'test-1', use: 'sig', alg: 'RS256' };

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    client_secret: clientSecret,
    redirect_uris: [redirectUri],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  cookies: { keys: ['only-for-tests-not-a-secret'] },
  claims: { openid: ['sub'], email: ['email', 'email_verified'] },
  // The scope's claims in the ID token itself (Accord reads only that).
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: false } },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  findAccount: async (ctx, id) => ({
    accountId: id,
    claims: async () => ({ sub: id, email, email_verified: emailVerified === 'true' }),
  }),
});

// The interaction: sign the one account in, then grant what is asked.
provider.use(async (ctx, next) => {
  if (!ctx.path.startsWith('/interaction/')) {
    return next();
  }
  const details = await provider.interactionDetails(ctx.req, ctx.res);
  let result;
  if (details.prompt.name === 'login') {
    result = { login: { accountId: sub } };
  } else {
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: details.session.accountId, clientId: details.params.client_id });
    grant.addOIDCScope(details.params.scope);
    result = { consent: { grantId: await grant.save() } };
  }
  await provider.interactionFinished(ctx.req, ctx.res, result, { mergeWithLastSubmission: true });
  ctx.respond = false;
});

provider.listen(Number(port), '127.0.0.1', () => {
  console.log(`ready ${issuer}`);
});
