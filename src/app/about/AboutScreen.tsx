import { useTitle } from '../shell/use-title.ts';
import { hrefTo } from '../shell/routes.ts';

/**
 * « À propos »: what Couverture is and the credits its reference data requires (the
 * Licence Ouverte asks for the attribution wherever the data is used). Reachable without an
 * account, from the sign-in screen and the resident's page.
 */
export function AboutScreen() {
  useTitle('À propos');
  return (
    <section class="screen about-screen" aria-labelledby="about-title">
      <h2 id="about-title">À propos</h2>
      <p>
        Couverture aide les communes, les départements et les préfectures à repérer où le téléphone mobile passe mal, et à le prouver, pour le dispositif de
        couverture ciblée du New Deal Mobile.
      </p>
      <h3>Crédits</h3>
      <ul>
        <li>
          Contours des départements et des communes : <strong>IGN – Admin Express, via france-geojson</strong> et geo.api.gouv.fr, sous Licence Ouverte / Open
          Licence (Etalab).
        </li>
        <li>Liste des communes : Code officiel géographique de l’INSEE, via @etalab/decoupage-administratif.</li>
        <li>Fonds de carte : Plan IGN (Géoplateforme de l’IGN) et les contributeurs d’OpenStreetMap, crédités sur chaque carte.</li>
      </ul>
      <p>
        <a href={hrefTo('signaler')}>Signaler une zone sans réseau</a> · <a href={hrefTo('connexion')}>Connexion</a>
      </p>
    </section>
  );
}
