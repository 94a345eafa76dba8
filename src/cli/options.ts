/**
 * Commander options made from the option table (`optionTable.ts`), and the values of a parsed command
 * checked against it: the one place where the shell declares and validates options.
 */
import type { Command } from 'commander';
import { OPTIONS, checkOption, optionDefault, type CommandName, type OptionSpec } from '../optionTable.js';

/** Parses a number option; its range is checked against the table afterwards. */
export function parseNumber(value: string): number {
  const trimmed = value.trim();
  if (trimmed === '') return Number.NaN;
  return Number(trimmed);
}

function camelCase(flag: string): string {
  return flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function helpOf(spec: OptionSpec, command: CommandName): string {
  const value = optionDefault(spec, command);
  const shown = spec.type.kind === 'switch' ? spec.defaultText : value !== undefined ? String(value) : spec.defaultText;
  return shown === undefined ? spec.help : `${spec.help} (default: ${shown})`;
}

function placeholder(spec: OptionSpec): string {
  const type = spec.type;
  if (type.kind === 'switch') return '';
  const name = spec.placeholder ?? (type.kind === 'integer' ? 'n' : type.kind === 'number' ? 'x' : type.kind === 'choice' ? 'kind' : type.placeholder);
  return spec.optionalValue ? ` [${name}]` : ` <${name}>`;
}

/**
 * Adds every option the table gives `command`, in table order.
 * @param program the commander command
 * @param command its name in the table
 */
export function addOptions(program: Command, command: CommandName): Command {
  for (const spec of OPTIONS.filter((o) => o.commands.includes(command))) {
    const flags = `${spec.short ? `-${spec.short}, ` : ''}--${spec.flag}${placeholder(spec)}`;
    const numeric = spec.type.kind === 'integer' || spec.type.kind === 'number';
    if (!spec.onlyNegated) {
      if (spec.required) program.requiredOption(flags, helpOf(spec, command));
      else if (numeric) program.option(flags, helpOf(spec, command), parseNumber);
      else program.option(flags, helpOf(spec, command));
    }
    if (spec.negatedHelp) program.option(`--no-${spec.flag}`, spec.negatedHelp);
  }
  return program;
}

/**
 * The parsed flags of `command` with the table's defaults filled in and every value checked.
 * @throws OptionError naming the first value out of range
 */
export function checkedOptions<T>(command: CommandName, flags: object): T {
  const values = { ...flags } as Record<string, unknown>;
  for (const spec of OPTIONS.filter((o) => o.commands.includes(command))) {
    const key = camelCase(spec.flag);
    // A negated switch or option (`--no-normalize`) arrives as false: the command reads it as such.
    if (values[key] === false && spec.negatedHelp) continue;
    values[key] ??= optionDefault(spec, command);
    if (values[key] !== undefined) checkOption(spec, values[key]);
  }
  return values as T;
}
