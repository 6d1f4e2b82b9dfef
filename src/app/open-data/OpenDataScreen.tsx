import { OpenDataPackageAnswerSchema } from '../../domain/api/index.ts';
import { useApi } from '../shell/use-api.ts';
import { useTitle } from '../shell/use-title.ts';
import { OPEN_DATA_BASE, OPEN_DATA_FILES } from './open-data-package.ts';
import { hrefTo } from '../shell/routes.ts';

const STAMP = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' });
const LICENCE_URL = 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/';
const lines = (count: number) => `${count} ligne${count > 1 ? 's' : ''}`;
const cells = (count: number) => `${count} maille${count > 1 ? 's' : ''}`;

/**
 * « Données ouvertes »: the files the server publishes for anyone (grid.csv, its GeoJSON, its
 * Table Schema and Data Package), their licence, what they hold and what they never hold,
 * with today's figures from datapackage.json. Public, like « À propos »; loaded on demand.
 */
export function OpenDataScreen() {
  useTitle('Données ouvertes');
  // The day's figures only: the files stay at their addresses when they cannot be read, so their failure is a hint, not an alert.
  const { data: pack, error } = useApi(`${OPEN_DATA_BASE}datapackage.json`, OpenDataPackageAnswerSchema);
  const failure = error?.message;

  const minimum = pack?.withholding.minContributors;
  const nothingYet = pack !== undefined && pack.published.rows === 0;

  return (
    <section class="screen open-data-screen" aria-labelledby="open-data-title">
      <h2 id="open-data-title">Données ouvertes</h2>
      <p>
        La couverture mobile mesurée sur le terrain par les agents des communes est publiée pour tous, agrégée par maille de 200 m (grille INSPIRE) et par
        opérateur, en extérieur. Chacun peut la télécharger, la réutiliser et la redistribuer.
      </p>

      <h3>Licence</h3>
      <p>
        <a href={LICENCE_URL} rel="noopener noreferrer" target="_blank">
          Licence Ouverte 2.0 (Etalab)
        </a>{' '}
        : réutilisation libre, y compris commerciale, en mentionnant la source (« Couverture ») et la date de mise à jour.
      </p>

      <h3>Fichiers</h3>
      {pack && (
        <p class="hint" role="status">
          État au {STAMP.format(new Date(pack.created))} : les fichiers sont calculés à chaque téléchargement.
        </p>
      )}
      {failure && (
        <p class="hint" role="status">
          Les chiffres du jour n’ont pas pu être chargés ({failure}) ; les fichiers restent aux adresses ci-dessous.
        </p>
      )}
      <ul class="open-data-files">
        {OPEN_DATA_FILES.map((file) => (
          <li key={file.path}>
            <a href={`${OPEN_DATA_BASE}${file.path}`} download={file.path}>
              {file.title}
            </a>{' '}
            <code>{file.path}</code>
            <br />
            <span class="hint">{file.what}</span>
          </li>
        ))}
      </ul>

      {nothingYet && (
        <p class="open-data-empty" role="note">
          <strong>Rien n’est encore publié.</strong> Aucune maille n’a encore été mesurée, pour un même opérateur, par au moins {minimum} contributeurs
          distincts : les fichiers existent, mais ils sont vides (le CSV n’a que sa ligne d’en-tête, le GeoJSON aucune maille).
        </p>
      )}
      {pack && !nothingYet && (
        <p>
          Aujourd’hui : {lines(pack.published.rows)} (maille × opérateur) sur {cells(pack.published.cells)} publiées.
        </p>
      )}

      <h3>Ce qui est publié</h3>
      <ul>
        <li>
          Pour chaque maille et chaque opérateur : le niveau de couverture (TBC, BC, CL, PC au sens de l’Arcep), le nombre de relevés, les parts de chaque
          niveau, le niveau et le signal médians, les tests d’appel réussis.
        </li>
        <li>Le centre de la maille, et le jour (pas l’heure) du premier et du dernier relevé.</li>
        <li>Le nombre de contributeurs : ils sont comptés, jamais nommés.</li>
      </ul>

      <h3>Ce qui n’est pas publié, et pourquoi</h3>
      <ul>
        <li>
          <strong>Les signalements des habitants, jamais</strong>, pas même comptés : aucune position d’habitant ne sort du serveur.
        </li>
        <li>
          <strong>Les lignes (maille × opérateur) mesurées par moins de {minimum ?? 'N'} contributeurs distincts</strong> : on pourrait y reconnaître les
          relevés d’une seule personne. Une maille sans aucune ligne publiée n’apparaît pas ; le verdict d’une maille ne compte que ses lignes publiées.
          {pack && pack.withholding.rowsWithheld > 0 && (
            <>
              {' '}
              Aujourd’hui, {lines(pack.withholding.rowsWithheld)} non publiée{pack.withholding.rowsWithheld > 1 ? 's' : ''}, dont toutes celles de{' '}
              {cells(pack.withholding.cellsWithheld)}.
            </>
          )}
        </li>
        <li>
          <strong>Les relevés un par un</strong> : leur position exacte, leur heure, leur auteur et leurs notes restent réservés aux comptes des communes et du
          département.
        </li>
      </ul>

      <p>
        <a href={hrefTo('connexion')}>Connexion</a> · <a href={hrefTo('signaler')}>Signaler une zone sans réseau</a> ·{' '}
        <a href={hrefTo('a-propos')}>À propos et crédits</a>
      </p>
    </section>
  );
}
