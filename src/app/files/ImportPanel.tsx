import { useEffect, useRef, useState } from 'preact/hooks';
import type { Campaign } from '../../domain/campaign.ts';
import type { CampaignScope } from '../../domain/campaign-scope.ts';
import { CSV_LOG_FORMATS, type CsvLogFormat, type SettingChoice } from '../../domain/import/import-row.ts';
import type { ImportPreview, ImportProgress, ImportResult } from '../../domain/import/import-summary.ts';
import { SETTING_LABELS } from '../../domain/reading.ts';
import { loadCampaignScope, outsideCampaignWarning, scopeCaveat } from '../campaigns/campaign-scope-source.ts';
import { currentCampaign } from '../campaigns/current-campaign.ts';
import { sessionState } from '../shell/session-state.ts';
import { useStore } from '../shell/tiny-store.ts';
import { ChoiceGroup } from '../survey/ChoiceGroup.tsx';
import { ImportPreviewView } from './ImportPreviewView.tsx';
import { importInWorker, previewInWorker } from './run-import.ts';
import { agree, plural } from '../format.ts';

type Phase =
  | { step: 'idle' }
  | { step: 'reading'; file: File; progress?: ImportProgress }
  | { step: 'preview'; file: File; preview: ImportPreview }
  | { step: 'importing'; file: File; preview: ImportPreview; progress?: ImportProgress }
  | { step: 'done'; result: ImportResult }
  | { step: 'cancelled'; added: number }
  | { step: 'failed'; message: string };

const SETTING_OPTIONS: { value: SettingChoice; label: string }[] = [
  { value: 'auto', label: 'Selon la vitesse' },
  { value: 'outdoor', label: SETTING_LABELS.outdoor },
  { value: 'indoor', label: SETTING_LABELS.indoor },
  { value: 'vehicle', label: SETTING_LABELS.vehicle },
];

const isLog = (format: string): format is CsvLogFormat => (CSV_LOG_FORMATS as readonly string[]).includes(format);

/**
 * « Importer un fichier »: a measurement app's log or a device export, read in the worker
 * (preview first, nothing written), then imported with a progress bar and « Annuler ».
 */
export function ImportPanel({ onImported }: { onImported: () => void }) {
  const [phase, setPhase] = useState<Phase>({ step: 'idle' });
  const [setting, setSetting] = useState<SettingChoice>('auto');
  const [attachCampaign, setAttachCampaign] = useState(true);
  const { campaign } = useStore(currentCampaign);
  const userId = useStore(sessionState).session?.info.user.id;
  const scope = useCampaignScope(campaign, userId);
  const abort = useRef<AbortController | undefined>(undefined);
  const input = useRef<HTMLInputElement>(null);

  // The preview always counts against the campaign, so that its warning is right whichever way the box is ticked.
  const options = async (attach = attachCampaign) => {
    if (!campaign || !attach) return { setting };
    const campaignScope = scope ?? (await loadCampaignScope(campaign, userId));
    return { setting, campaign: { campaignId: campaign.id, communeInsee: campaign.communeInsee }, campaignScope };
  };

  async function choose(file: File | undefined) {
    abort.current?.abort();
    if (!file) return setPhase({ step: 'idle' });
    const controller = (abort.current = new AbortController());
    setPhase({ step: 'reading', file });
    try {
      const preview = await previewInWorker(file, await options(true), (progress) => setPhase({ step: 'reading', file, progress }), controller.signal);
      if (!controller.signal.aborted) setPhase({ step: 'preview', file, preview });
    } catch (error) {
      if (!controller.signal.aborted) setPhase({ step: 'failed', message: messageOf(error) });
    }
  }

  async function runImport(file: File, preview: ImportPreview) {
    const controller = (abort.current = new AbortController());
    let added = 0;
    setPhase({ step: 'importing', file, preview });
    try {
      const result = await importInWorker(
        file,
        { ...(await options()), ...(sessionState.get().session && { recordedBy: sessionState.get().session!.info.user.id }) },
        (progress) => {
          added = progress.added ?? added;
          setPhase({ step: 'importing', file, preview, progress });
        },
        controller.signal,
      );
      setPhase({ step: 'done', result });
    } catch (error) {
      setPhase(controller.signal.aborted ? { step: 'cancelled', added } : { step: 'failed', message: messageOf(error) });
    } finally {
      if (input.current) input.current.value = '';
      onImported();
    }
  }

  return (
    <section class="files-section" aria-labelledby="import-title">
      <h3 id="import-title">Importer un fichier</h3>
      <label class="file-input">
        <span>Fichier de relevés (Tower Collector, Network Survey, ou export Couverture)</span>
        <input
          ref={input}
          type="file"
          accept=".csv,.geojson,.json,text/csv,application/json,application/geo+json"
          disabled={phase.step === 'importing'}
          onChange={(event) => void choose(event.currentTarget.files?.[0])}
        />
      </label>

      {phase.step === 'reading' && <Progress label="Lecture du fichier" progress={phase.progress} />}

      {(phase.step === 'preview' || phase.step === 'importing') && (
        <>
          <ImportPreviewView preview={phase.preview} fileName={phase.file.name} />
          {isLog(phase.preview.format) && phase.preview.toImport > 0 && (
            <>
              <ChoiceGroup legend="Situation des relevés importés" name="import-setting" options={SETTING_OPTIONS} value={setting} onChange={setSetting} />
              {setting === 'auto' && (
                <p class="hint">
                  Selon la vitesse : « En véhicule » au-dessus de 3 m/s (11 km/h), sinon « Extérieur ». Ces applications ne savent pas si le téléphone était à
                  l’intérieur.
                </p>
              )}
              {campaign && (
                <label class="files-check">
                  <input type="checkbox" checked={attachCampaign} onChange={(event) => setAttachCampaign(event.currentTarget.checked)} /> Rattacher à la
                  campagne « {campaign.name} »
                </label>
              )}
              {campaign && attachCampaign && phase.preview.outsideCampaign > 0 && (
                <p class="files-warning" role="status">
                  {outsideCampaignWarning(phase.preview.outsideCampaign)}.
                </p>
              )}
              {campaign && attachCampaign && scope && scopeCaveat(scope) && <p class="hint">{scopeCaveat(scope)}</p>}
            </>
          )}
        </>
      )}

      {phase.step === 'preview' &&
        (phase.preview.toImport > 0 ? (
          <div class="actions">
            <button type="button" class="primary" onClick={() => void runImport(phase.file, phase.preview)}>
              Importer {plural(phase.preview.toImport, 'relevé', 'relevés')}
            </button>
          </div>
        ) : (
          <p class="files-message">{nothingToImport(phase.preview)}</p>
        ))}

      {phase.step === 'importing' && (
        <div class="import-running">
          <Progress label="Import" progress={phase.progress} />
          <button type="button" class="danger" onClick={() => abort.current?.abort(new DOMException('Import annulé', 'AbortError'))}>
            Annuler
          </button>
        </div>
      )}

      {phase.step === 'done' && (
        <p class="files-message" role="status">
          Import terminé : {plural(phase.result.added, 'relevé ajouté', 'relevés ajoutés')}
          {phase.result.alreadyOnDevice > 0 && `, ${plural(phase.result.alreadyOnDevice, 'déjà présent', 'déjà présents')}`}
          {phase.result.refusedCount > 0 && `, ${plural(phase.result.refusedCount, 'ligne refusée', 'lignes refusées')}`}.
          {phase.result.outsideCampaign > 0 && ` ${outsideCampaignWarning(phase.result.outsideCampaign)}.`}
          {phase.result.added > 0 && ` ${agree(phase.result.added, 'Il partira', 'Ils partiront')} vers le serveur avec les autres relevés.`}
        </p>
      )}
      {phase.step === 'cancelled' && (
        <p class="files-message" role="status">
          Import annulé : {plural(phase.added, 'relevé déjà enregistré reste', 'relevés déjà enregistrés restent')} sur l’appareil. Importez à nouveau le
          fichier pour ajouter les autres, sans doublon.
        </p>
      )}
      {phase.step === 'failed' && (
        <p class="error" role="alert">
          {phase.message}
        </p>
      )}
    </section>
  );
}

/** The current campaign's scope as this device can tell it (campaign-scope-source.ts), read again when the campaign changes. */
function useCampaignScope(campaign: Campaign | undefined, userId: string | undefined): CampaignScope | undefined {
  const [scope, setScope] = useState<CampaignScope>();
  useEffect(() => {
    setScope(undefined);
    if (!campaign) return;
    let live = true;
    void loadCampaignScope(campaign, userId).then((loaded) => live && setScope(loaded));
    return () => {
      live = false;
    };
  }, [campaign?.id, campaign?.updatedAt, userId]);
  return scope;
}

function Progress({ label, progress }: { label: string; progress: ImportProgress | undefined }) {
  const total = progress?.totalBytes ?? 0;
  return (
    <div class="import-progress">
      <label>
        {label}
        {progress &&
          ` : ${plural(progress.rowsRead, 'ligne lue', 'lignes lues')}${progress.added !== undefined ? `, ${plural(progress.added, 'relevé ajouté', 'relevés ajoutés')}` : ''}`}
        <progress max={total || 1} value={progress?.bytesRead ?? 0} />
      </label>
    </div>
  );
}

/** Nothing to import: because the device has it all already, or because no line makes a reading. */
function nothingToImport(preview: ImportPreview): string {
  if (preview.alreadyOnDevice > 0 || preview.refusedCount === 0) return 'Rien de nouveau à importer : ce fichier n’ajoute aucun relevé à cet appareil.';
  return 'Aucune ligne de ce fichier ne donne un relevé : voyez les motifs ci-dessus.';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
