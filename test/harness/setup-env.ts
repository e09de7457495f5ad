import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core keeps instance settings under N8N_USER_FOLDER: never let tests touch the real ~/.n8n.
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'loymaxsc-n8n-'));
process.env.N8N_LOG_LEVEL = 'silent';
