// `termcall probe`: what the terminal can show, and why.
import { chooseRenderer, formatCaps, probeTerminal, type RenderRequest } from '../../terminal/probe.js';
import { explainAuto } from '../../render/table.js';

/** Queries the terminal and prints the capabilities (text or JSON) with the renderer that would be used. */
export async function runProbe(json: boolean, render: RenderRequest): Promise<number> {
  const caps = await probeTerminal();
  const choice = chooseRenderer(caps, render);
  if (json) {
    process.stdout.write(JSON.stringify({ ...caps, renderer: choice.renderer, autoChoice: explainAuto(caps), warnings: choice.warnings }, null, 2) + '\n');
  } else {
    process.stdout.write(formatCaps(caps) + '\n');
    process.stdout.write(`renderer: ${choice.renderer}${render === 'auto' ? ' (auto)' : ' (--render)'}\n`);
    if (render === 'auto') for (const l of explainAuto(caps)) process.stdout.write(`  ${l}\n`);
    for (const w of choice.warnings) process.stdout.write(`warning: ${w}\n`);
  }
  return 0;
}
