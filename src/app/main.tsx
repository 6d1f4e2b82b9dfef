import { render } from 'preact';
import { App } from './App.tsx';
import { loadCurrentCampaign } from './campaigns/current-campaign.ts';
import { fieldSettings } from './shell/field-settings.ts';
import { registerServiceWorker } from './shell/service-worker.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import './styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
startSyncScheduler();
void loadCurrentCampaign();
// Known before the first reading, so that its probe uses this deployment's budget.
void fieldSettings();
