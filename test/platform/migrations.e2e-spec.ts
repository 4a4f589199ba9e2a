import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../../migrations';

it('lists every migration file in migrations/index.ts, in timestamp order', () => {
  const files = readdirSync(join(__dirname, '..', '..', 'migrations'))
    .filter((f) => /^\d+-\w+\.ts$/.test(f))
    .map((f) => f.replace(/^(\d+)-(\w+)\.ts$/, '$2$1'))
    .sort((a, b) => Number(a.match(/\d+$/)![0]) - Number(b.match(/\d+$/)![0]));
  expect(MIGRATIONS.map((m) => m.name)).toEqual(files);
});
