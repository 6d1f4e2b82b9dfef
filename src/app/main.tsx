import { render } from 'preact';
import { App } from './App.tsx';
import { loadCurrentCampaign } from './campaigns/current-campaign.ts';
import { registerServiceWorker } from './shell/service-worker.ts';
import { startSyncScheduler } from './sync/sync-scheduler.ts';
import './styles.css';

render(<App />, document.getElementById('app')!);
registerServiceWorker();
startSyncScheduler();
void loadCurrentCampaign();
