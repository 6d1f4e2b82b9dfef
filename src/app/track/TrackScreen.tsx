/** « Parcours »: points recorded automatically while walking or driving. */
export function TrackScreen() {
  return (
    <section class="screen" aria-labelledby="track-title">
      <h2 id="track-title">Parcours</h2>
    </section>
  );
}
