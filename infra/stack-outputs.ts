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
  tableName: string;
}

export async function readStackOutputs(stage: string, region: string): Promise<DeployedStack> {
  const client = new CloudFormationClient({ region });
  const { Stacks = [] } = await client.send(new DescribeStacksCommand({ StackName: `${SERVICE}-${stage}` }));
  const outputs = Object.fromEntries(
    (Stacks[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue ?? '']),
  );
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
    tableName: `${SERVICE}-${stage}`,
  };
}
