import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core keeps instance settings under N8N_USER_FOLDER: never let tests touch the real ~/.n8n.
const userFolder = mkdtempSync(join(tmpdir(), 'loymaxsc-n8n-'));
process.env.N8N_USER_FOLDER = userFolder;
process.on('exit', () => rmSync(userFolder, { recursive: true, force: true }));
process.env.N8N_LOG_LEVEL = 'silent';
