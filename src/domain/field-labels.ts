/**
 * French names of the wire fields of a reading and of a resident's report, for the messages
 * people read: the schemas' refusals (which the server returns too) and the forms' error
 * summaries. The wire name stays in FieldError.field for programs.
 */
export const FIELD_LABELS: Readonly<Record<string, string>> = {
  id: 'identifiant',
  recordedAt: 'date du relevé',
  reportedAt: 'date du signalement',
  lat: 'latitude',
  lon: 'longitude',
  accuracyM: 'précision de la position',
  altitudeM: 'altitude',
  speedMps: 'vitesse',
  headingDeg: 'cap',
  positionAgeMs: 'âge de la position',
  positionSource: 'origine de la position',
  positionFixes: 'positions moyennées',
  position: 'position',
  operator: 'opérateur',
  technology: 'réseau affiché',
  signalBars: 'barres de réseau',
  signalDbm: 'signal en dBm',
  setting: 'situation',
  voice: 'test d’appel',
  sms: 'test SMS',
  source: 'origine du relevé',
  note: 'note',
  connection: 'connexion du téléphone',
  probe: 'mesure du réseau',
  callTest: 'test d’appel guidé',
  smsTest: 'test SMS guidé',
  dataTest: 'tests de données',
  protocol: 'protocole',
  trackId: 'parcours',
  campaignId: 'campagne',
  communeInsee: 'commune',
  extra: 'données importées',
  problem: 'problème',
};

/**
 * The French name of a field, from its dotted wire path. A nested path (`probe.result`) is
 * named by its parent, with the path for whoever must fix the program that sent it.
 */
export function fieldLabel(path: string): string {
  const label = FIELD_LABELS[path];
  if (label) return label;
  const parent = FIELD_LABELS[path.split('.')[0]!];
  return parent ? `${parent} (${path})` : path;
}

/** valibot's message for a missing key: says which field, in French. */
export const missingFieldMessage = (path: string): string => `Champ obligatoire manquant : ${fieldLabel(path)}`;
