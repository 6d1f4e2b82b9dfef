import { afterEach, beforeEach, expect, it } from 'vitest';
import { addUser, openTestApp, TEST_PASSWORD, useTempDir, type Caller, type TestApp } from './fixtures.ts';

/**
 * The account routes' bodies, judged by their schemas in src/domain/api/ (session, users,
 * tokens): a missing field or one of the wrong type gets the same French message as before the
 * schemas, one thing to fix at a time, and unknown fields are all named before any value.
 */

const tempDir = useTempDir();
let server: TestApp;
let admin: Caller;

beforeEach(async () => {
  server = await openTestApp(tempDir());
  admin = await addUser(server.app, { role: 'admin' });
});
afterEach(async () => {
  await server.close();
});

const NEW_USER = { email: 'x@example.fr', name: 'X', password: TEST_PASSWORD, role: 'agent', communes: ['34261'] };

it.each([
  ['POST', '/api/v1/session', { email: 'x@example.fr' }, 'Envoyez {"email": "…", "password": "…"} : deux textes'],
  ['POST', '/api/v1/session', { email: 1, password: 'x' }, 'Envoyez {"email": "…", "password": "…"} : deux textes'],
  ['POST', '/api/v1/session', [], 'Envoyez {"email": "…", "password": "…"}'],
  ['POST', '/api/v1/session/password', { currentPassword: '', newPassword: 'x' }, 'Envoyez {"currentPassword": "…", "newPassword": "…"} : deux textes'],
  ['POST', '/api/v1/users', { ...NEW_USER, email: undefined }, 'L’adresse e-mail doit être un texte'],
  ['POST', '/api/v1/users', { ...NEW_USER, name: undefined }, 'Le nom est obligatoire'],
  ['POST', '/api/v1/users', { ...NEW_USER, password: 12 }, 'Le mot de passe doit être un texte'],
  ['POST', '/api/v1/users', { ...NEW_USER, role: undefined }, 'Rôle inconnu : attendu agent, reviewer, admin'],
  ['POST', '/api/v1/users', { ...NEW_USER, email: 1, name: 2 }, 'L’adresse e-mail doit être un texte'],
  [
    'POST',
    '/api/v1/users',
    { ...NEW_USER, nom: 'X', courriel: 'x' },
    'Champs inconnus : « nom », « courriel ». Champs acceptés : email, name, password, role, communes, departement.',
  ],
  ['POST', '/api/v1/users', { ...NEW_USER, communes: 'x' }, 'Un agent doit avoir au moins une commune (codes INSEE, ex. 34172)'],
  ['PATCH', '/api/v1/users/:self', { disabled: 'non' }, '« disabled » doit valoir true ou false'],
  ['PATCH', '/api/v1/users/:self', { name: null }, 'Le nom est obligatoire'],
  ['POST', '/api/v1/tokens', { password: TEST_PASSWORD }, 'Donnez un nom au jeton (ex. « import Tower Collector »)'],
  ['POST', '/api/v1/tokens', { name: 'script' }, 'Confirmez avec votre mot de passe actuel : champ « password »'],
  [
    'POST',
    '/api/v1/tokens',
    { name: 'script', password: TEST_PASSWORD, days: '30' },
    expect.stringMatching(/^« days » : attendu un nombre entier de jours, de 1 à 3650/),
  ],
  ['POST', '/api/v1/tokens', { name: 'script', password: TEST_PASSWORD, userId: 5 }, '« userId » doit être un texte'],
  [
    'POST',
    '/api/v1/tokens',
    { name: 'script', password: TEST_PASSWORD, secret: 1 },
    'Champs inconnus : « secret ». Champs acceptés : name, password, days, userId.',
  ],
] as const)('%s %s %j: 400 « %s »', async (method, url, payload, error) => {
  const response = await server.app.inject({ method, url: url.replace(':self', admin.id), headers: admin.headers, payload: payload as object });
  expect(response.statusCode).toBe(400);
  expect(response.json()).toEqual({ error });
});

it('takes a token’s days and userId as null: until revoked, for the caller', async () => {
  const response = await server.app.inject({
    method: 'POST',
    url: '/api/v1/tokens',
    headers: admin.headers,
    payload: { name: 'script', password: TEST_PASSWORD, days: null, userId: null },
  });
  expect(response.statusCode, response.body).toBe(201);
  expect(response.json()).toMatchObject({ name: 'script', expiresAt: null });
});
