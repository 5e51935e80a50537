import type { AslDefinition, AslState } from '../src/planning/runbooks/asl';

// aws-local-stepfunctions 3 uses Promise.withResolvers (Node 22); Node 20 lacks it.
if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers !== 'function') {
  Object.defineProperty(Promise, 'withResolvers', {
    configurable: true,
    writable: true,
    value<T>() {
      let resolve!: (value: T | PromiseLike<T>) => void;
      let reject!: (reason?: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}

/** Problems asl-validator finds in a definition: empty when it is valid Amazon States Language. */
export function aslProblems(definition: AslDefinition): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const validator = require('asl-validator') as (
    definition: unknown,
    options?: { checkPaths?: boolean; checkArn?: boolean },
  ) => { isValid: boolean; errorsText: (separator?: string) => string };
  // The validator writes default fields into what it reads: give it a copy.
  const result = validator(structuredClone(definition), { checkPaths: true, checkArn: true });
  return result.isValid ? [] : result.errorsText('\n').split('\n');
}

/** An error an AWS SDK task raises, by its Step Functions name (`Rds.ThrottlingException`, `Rds.InvalidGlobalClusterStateFault`). */
export class AwsError extends Error {
  constructor(name: string, message = name) {
    super(message);
    this.name = name;
  }
}

/** What a task state does in a local run: its result, or an `AwsError` thrown. Receives the task's resolved parameters. */
export type TaskHandler = (parameters: any) => unknown;

/** How a local execution ended, and the states it passed through in order. */
export interface LocalExecution {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly output?: any;
  /** The error name of a failed execution (a Fail state's `Error`, or an uncaught task error). */
  readonly error?: string;
  readonly cause?: string;
  /** Names of the states entered, in order (repeated for loops). */
  readonly states: readonly string[];
  /** Parameters each task state was called with, in order, by state name. */
  readonly calls: ReadonlyArray<{ readonly state: string; readonly parameters: any }>;
  /** Retries by state name. */
  readonly retries: Readonly<Record<string, number>>;
}

/**
 * Runs a definition offline with aws-local-stepfunctions. Every task state must have a handler (no
 * AWS call is ever made); Wait states and retry intervals take no time.
 */
export async function runStateMachine(
  definition: AslDefinition,
  input: unknown,
  handlers: Readonly<Record<string, TaskHandler>>,
): Promise<LocalExecution> {
  const { StateMachine } = await import('aws-local-stepfunctions');
  const states: string[] = [];
  const calls: Array<{ state: string; parameters: any }> = [];
  const retries: Record<string, number> = {};
  const taskNames = taskStates(definition);
  const missing = taskNames.filter((name) => !(name in handlers));
  if (missing.length > 0) throw new Error(`no handler for task states: ${missing.join(', ')}`);

  // A copy made in this realm: structuredClone makes objects of the host realm, whose nested payload
  // templates the interpreter does not take for plain objects (it would leave their `.$` keys as they are).
  const stateMachine = new StateMachine(JSON.parse(JSON.stringify(definition)) as never, {
    validationOptions: { checkPaths: true, checkArn: true },
  });
  const zero = (names: string[]) => Object.fromEntries(names.map((name) => [name, 0]));
  const execution = stateMachine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: Object.fromEntries(
        taskNames.map((name) => [
          name,
          (parameters: unknown) => {
            calls.push({ state: name, parameters });
            return handlers[name](parameters) as never;
          },
        ]),
      ),
      waitTimeOverrides: zero(statesOfType(definition, 'Wait')),
      retryIntervalOverrides: zero(allStates(definition.States).map(([name]) => name)),
    },
  });
  const logging = (async () => {
    for await (const event of execution.eventLogs) {
      if (event.type === 'StateEntered') states.push(event.state.name);
      if (event.type === 'StateRetried') retries[event.state.name] = (retries[event.state.name] ?? 0) + 1;
    }
  })();
  try {
    const output = await execution.result;
    await logging;
    return { status: 'SUCCEEDED', output, states, calls, retries };
  } catch (error) {
    await logging.catch(() => undefined);
    const cause = (error as { cause?: { name?: string; message?: string } }).cause;
    return { status: 'FAILED', error: cause?.name ?? (error as Error).name, cause: cause?.message, states, calls, retries };
  }
}

/**
 * Every state of a definition by name, with the states of its Map item processors and Parallel
 * branches: the local interpreter looks handlers and time overrides up by state name at any depth.
 */
function allStates(states: Record<string, AslState>): Array<[string, AslState]> {
  return Object.entries(states).flatMap(([name, state]) => {
    const processor = (state.ItemProcessor ?? state.Iterator) as { States: Record<string, AslState> } | undefined;
    const branches = (state.Branches ?? []) as Array<{ States: Record<string, AslState> }>;
    return [
      [name, state] as [string, AslState],
      ...(processor ? allStates(processor.States) : []),
      ...branches.flatMap((b) => allStates(b.States)),
    ];
  });
}

function statesOfType(definition: AslDefinition, type: string): string[] {
  return allStates(definition.States)
    .filter(([, state]) => state.Type === type)
    .map(([name]) => name);
}

function taskStates(definition: AslDefinition): string[] {
  return statesOfType(definition, 'Task');
}
