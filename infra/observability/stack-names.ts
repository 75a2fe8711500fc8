/** What the CloudWatch resources need to know of the stack they are rendered into. */
export interface StackNames {
  /** The deployed name of each function, by its key in serverless.yml. */
  functionNames: Record<string, string>;
  /** Each function's timeout in seconds, by key. */
  functionTimeouts: Record<string, number>;
  tableName: string;
  /** The dashboard's name. */
  dashboardName: string;
  /** Alarm mail goes to this address through an SNS topic; none when empty. */
  alarmEmail: string;
  /** Prefix of the alarm names, e.g. `bedrock-ws-chat-dev`. */
  alarmPrefix: string;
}

/** The deployed name of a function key, or a clear error naming a key serverless.yml does not have. */
export function functionName(names: StackNames, key: string): string {
  const name = names.functionNames[key];
  if (!name) throw new Error(`serverless.yml has no function "${key}" (the CloudWatch resources name it)`);
  return name;
}
