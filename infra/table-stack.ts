import {
  CloudFormationClient,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  UpdateStackCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
  waitUntilStackUpdateComplete,
} from '@aws-sdk/client-cloudformation';
import { globalTableTemplate, tableStackName } from './global-table.ts';
import { SERVICE } from './stack-outputs.ts';

const WAIT = { maxWaitTime: 3600, minDelay: 10, maxDelay: 30 };

/**
 * Creates or updates the global table's stack in the primary region and waits for it. Adding a region adds a
 * replica (minutes for an empty table, longer for a large one).
 */
export async function deployTableStack(stage: string, regions: readonly string[]): Promise<string> {
  const [primary] = regions;
  const client = new CloudFormationClient({ region: primary });
  const StackName = tableStackName(SERVICE, stage);
  const tableName = `${SERVICE}-${stage}`;
  const TemplateBody = JSON.stringify(globalTableTemplate({ tableName, regions }));
  const exists = await client
    .send(new DescribeStacksCommand({ StackName }))
    .then((out) => (out.Stacks ?? []).length > 0)
    .catch(() => false);
  try {
    if (exists) {
      await client.send(new UpdateStackCommand({ StackName, TemplateBody }));
      await waitUntilStackUpdateComplete({ client, ...WAIT }, { StackName });
    } else {
      await client.send(new CreateStackCommand({ StackName, TemplateBody }));
      await waitUntilStackCreateComplete({ client, ...WAIT }, { StackName });
    }
  } catch (error) {
    // CloudFormation refuses an update that changes nothing; the table is as it should be.
    if (!String(error).includes('No updates are to be performed')) throw error;
  } finally {
    client.destroy();
  }
  return tableName;
}

/** The regions the table stack replicates to (its `Regions` output), or undefined if there is no such stack. */
export async function tableStackRegions(stage: string, primary: string): Promise<string[] | undefined> {
  const client = new CloudFormationClient({ region: primary });
  try {
    const { Stacks = [] } = await client.send(
      new DescribeStacksCommand({ StackName: tableStackName(SERVICE, stage) }),
    );
    const regions = Stacks[0]?.Outputs?.find((output) => output.OutputKey === 'Regions')?.OutputValue;
    return regions?.split(',');
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

/** Deletes the global table (every replica with it) and waits. */
export async function removeTableStack(stage: string, primary: string): Promise<void> {
  const client = new CloudFormationClient({ region: primary });
  const StackName = tableStackName(SERVICE, stage);
  try {
    await client.send(new DeleteStackCommand({ StackName }));
    await waitUntilStackDeleteComplete({ client, ...WAIT }, { StackName });
  } finally {
    client.destroy();
  }
}
