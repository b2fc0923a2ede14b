// Renders every command's --help (at 80 columns) and the version into dist/help.json at build time, so the
// launcher answers --help and --version without loading commander or the CLI (bench/startup.js measures it).
import { writeFileSync } from 'node:fs';

const { buildProgram, packageVersion } = await import('../dist/cli.js');

export const HELP_WIDTH = 80;

const program = buildProgram();
const help = {};
const visit = (command, path) => {
  command.configureHelp({ ...command.configureHelp(), helpWidth: HELP_WIDTH });
  help[path.join(' ')] = command.helpInformation();
  for (const sub of command.commands) visit(sub, [...path, sub.name()]);
};
visit(program, []);
writeFileSync(new URL('../dist/help.json', import.meta.url), JSON.stringify({ width: HELP_WIDTH, version: packageVersion(), help }));
