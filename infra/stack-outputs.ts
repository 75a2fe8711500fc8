import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

export const SERVICE = 'bedrock-ws-chat';

/** What `serverless deploy` created, from the stack's outputs (see serverless.yml `Outputs`). */
export interface DeployedStack {
  webSocketUrl: string;
  webUrl: string;
  webBucketName: string;
  webDistributionId: string;
  userPoolId: string;
  userPoolClientId: string;
  authDomain: string;
  /** The attachments bucket's origin, where the browser posts files. */
  uploadsUrl: string;
  /** The uploads bucket, which other regions' Lambdas use too (decision 21). */
  uploadsBucketName: string;
  tableName: string;
}

/** A chat stack's outputs by key; undefined if the stack does not exist in that region. */
export async function readOutputs(
  stage: string,
  region: string,
): Promise<Record<string, string> | undefined> {
  const client = new CloudFormationClient({ region });
  try {
    const { Stacks = [] } = await client.send(
      new DescribeStacksCommand({ StackName: `${SERVICE}-${stage}` }),
    );
    const [stack] = Stacks;
    return stack && Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue ?? '']));
  } catch (error) {
    if (String(error).includes('does not exist')) return undefined;
    throw error;
  } finally {
    client.destroy();
  }
}

/** The WebSocket URL of a region's chat stack (primary or not), or undefined if it is not deployed there. */
export async function readSocketUrl(stage: string, region: string): Promise<string | undefined> {
  return (await readOutputs(stage, region))?.WebSocketUrl || undefined;
}

export async function readStackOutputs(stage: string, region: string): Promise<DeployedStack> {
  const outputs = (await readOutputs(stage, region)) ?? {};
  const need = (key: string) => {
    const value = outputs[key];
    if (!value)
      throw new Error(
        `Stack ${SERVICE}-${stage} has no output ${key}; was it deployed with this serverless.yml?`,
      );
    return value;
  };
  return {
    webSocketUrl: need('WebSocketUrl'),
    webUrl: need('WebUrl'),
    webBucketName: need('WebBucketName'),
    webDistributionId: need('WebDistributionId'),
    userPoolId: need('UserPoolId'),
    userPoolClientId: need('UserPoolClientId'),
    authDomain: need('AuthDomain'),
    uploadsUrl: need('UploadsUrl'),
    // Stacks deployed before it was an output lack it.
    uploadsBucketName: outputs.UploadsBucketName ?? '',
    tableName: `${SERVICE}-${stage}`,
  };
}
