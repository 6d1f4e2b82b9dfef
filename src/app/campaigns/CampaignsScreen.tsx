/** « Campagnes »: one commune surveyed over a period; agents pick one, staff set them up. */
export function CampaignsScreen(_props: { hash: string }) {
  return (
    <section class="screen" aria-labelledby="campaigns-title">
      <h2 id="campaigns-title">Campagnes</h2>
    </section>
  );
}
