/**
 * `npm run admin -- <command> [options]`: manage accounts from the server's shell, on the
 * same database as the server (DATABASE_URL or DATA_DIR, like `npm start`). The first admin is made here.
 *
 *   create-admin    --email E --name N [--password P]
 *   add-user        --email E --name N --role agent --communes 34172,34003 [--password P]
 *   add-user        --email E --name N --role reviewer --departement 34 [--password P]
 *   add-token       --email E --name "import Tower Collector" [--days N]   (prints the token once)
 *   revoke-sessions --email E [--tokens]     (--tokens: the API tokens too; a lost phone, a compromised account)
 *   list-users
 *
 * The password comes from --password, else COUVERTURE_PASSWORD, else a prompt (hidden).
 * add-user's is provisional: its owner must choose their own at first sign-in. create-admin's
 * is not: the first admin types it at the shell for themselves.
 * Every change is written to the audit log as done from the command line.
 */
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../src/domain/account.ts';
import { createAccounts, SHELL_ACTOR } from '../src/server/accounts.ts';
import { HttpError } from '../src/server/http-errors.ts';
import { createCommunes } from '../src/server/communes/communes.ts';
import { fail, openCommandStore } from '../src/server/command-line.ts';

const USAGE = `Usage : npm run admin -- <commande> [options]

  create-admin     --email E --name N [--password P]
  add-user         --email E --name N --role agent --communes 34172,34003 [--password P]
  add-user         --email E --name N --role reviewer --departement 34 [--password P]
  add-token        --email E --name "nom du jeton" [--days N]
                   (affiche le jeton une seule fois ; --days : valable N jours, sinon jusqu’à sa révocation)
  revoke-sessions  --email E [--tokens]
                   (ferme toutes les sessions ; --tokens : révoque aussi tous les jetons d’API)
  list-users

Mot de passe : --password, sinon la variable COUVERTURE_PASSWORD, sinon il est demandé.
Celui d’add-user est provisoire : la personne choisira le sien à sa première connexion.
La base est celle du serveur : DATABASE_URL si elle est définie, sinon DATA_DIR (./data par défaut).`;

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      communes: { type: 'string' },
      departement: { type: 'string' },
      days: { type: 'string' },
      tokens: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`);
}
const { values, positionals } = parsed;
const [command, ...extra] = positionals;
if (values.help || !command) {
  console.log(USAGE);
  process.exit(command || values.help ? 0 : 1);
}
if (extra.length > 0) fail(`Arguments en trop : ${extra.join(' ')}\n\n${USAGE}`);

function required(name: 'email' | 'name'): string {
  const value = values[name];
  if (!value) fail(`Il manque --${name} pour « ${command} ».\n\n${USAGE}`);
  return value;
}

/** Asks for a password on the terminal without echoing it, twice. */
async function promptPassword(): Promise<string> {
  if (!process.stdin.isTTY) fail('Donnez le mot de passe par --password ou COUVERTURE_PASSWORD (pas de terminal pour le demander).');
  const ask = (question: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      const output = rl as unknown as { _writeToOutput: (text: string) => void };
      rl.question(question, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
      output._writeToOutput = (text: string) => {
        if (text.startsWith(question)) process.stdout.write(question);
      };
    });
  const first = await ask('Mot de passe : ');
  const second = await ask('Le même, encore : ');
  if (first !== second) fail('Les deux mots de passe diffèrent.');
  return first;
}

async function password(): Promise<string> {
  return values.password ?? process.env.COUVERTURE_PASSWORD ?? (await promptPassword());
}

const { store, config } = await openCommandStore();
const accounts = createAccounts({
  store,
  communes: createCommunes(),
  now: Date.now,
  sessionDays: config.security.sessionDays,
  sessionIdleDays: config.security.sessionIdleDays,
});

/** --days as a number for accounts.createToken to check (it says what is wrong in French). */
function days(): number | undefined {
  if (values.days === undefined) return undefined;
  return /^\d+$/.test(values.days) ? Number(values.days) : Number.NaN;
}

async function userIdFor(email: string): Promise<string> {
  const user = await accounts.userByEmail(email);
  if (!user) fail(`Aucun compte pour ${email}.`);
  return user.id;
}

try {
  switch (command) {
    case 'create-admin': {
      const user = await accounts.createUser({ email: required('email'), name: required('name'), password: await password(), role: 'admin' }, SHELL_ACTOR);
      console.log(`Administrateur créé : ${user.email} (${user.id}). Connectez-vous sur la page d’accueil de Couverture.`);
      break;
    }
    case 'add-user': {
      const role = values.role as Role | undefined;
      if (!role || !(ROLES as readonly string[]).includes(role)) fail(`--role : attendu ${ROLES.join(', ')}.\n\n${USAGE}`);
      const communes = values.communes
        ?.split(',')
        .map((code) => code.trim())
        .filter(Boolean);
      const user = await accounts.createUser(
        {
          email: required('email'),
          name: required('name'),
          password: await password(),
          role,
          ...(communes && { communes }),
          ...(values.departement && { departement: values.departement.trim() }),
          provisional: true,
        },
        SHELL_ACTOR,
      );
      const scope = user.role === 'agent' ? `communes ${user.communes.join(', ')}` : user.role === 'reviewer' ? `département ${user.departement}` : 'tout';
      console.log(`Compte créé : ${user.email} (${user.role}, ${scope}), identifiant ${user.id}.`);
      console.log('Mot de passe provisoire : transmettez-le à la personne, qui en choisira un autre à sa première connexion.');
      break;
    }
    case 'add-token': {
      const created = await accounts.createToken(await userIdFor(required('email')), required('name'), SHELL_ACTOR, { days: days() });
      const until = created.expiresAt ? `valable jusqu’au ${created.expiresAt}` : 'valable jusqu’à sa révocation';
      console.log(`Jeton « ${created.name} » créé (identifiant ${created.id}, ${until}). Copiez-le maintenant, il ne sera plus affiché :`);
      console.log(created.token);
      break;
    }
    case 'revoke-sessions': {
      const revoked = await accounts.revokeSessions(await userIdFor(required('email')), SHELL_ACTOR, { tokens: values.tokens === true });
      console.log(
        values.tokens
          ? `${revoked.sessions} session(s) et ${revoked.tokens} jeton(s) révoqués : la personne devra se reconnecter, ses scripts recevoir un nouveau jeton.`
          : `${revoked.sessions} session(s) révoquée(s) : la personne devra se reconnecter. Ses jetons d’API restent valables (--tokens pour les révoquer aussi).`,
      );
      break;
    }
    case 'list-users': {
      const users = await accounts.listUsers();
      if (users.length === 0) console.log('Aucun compte. Commencez par : npm run admin -- create-admin --email … --name …');
      for (const u of users) {
        const scope = u.role === 'agent' ? u.communes.join(',') : (u.departement ?? '');
        console.log([u.email, u.role, scope, u.disabled ? 'désactivé' : u.mustChangePassword ? 'mot de passe provisoire' : 'actif', u.name].join('\t'));
      }
      break;
    }
    default:
      fail(`Commande inconnue : « ${command} ».\n\n${USAGE}`);
  }
} catch (error) {
  if (error instanceof HttpError) fail(error.message);
  throw error;
} finally {
  await store.close();
}
