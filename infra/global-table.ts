/**
 * The chat table as a DynamoDB global table in its own CloudFormation stack, for a deployment to several
 * regions (decision 21). The single-region stack owns an AWS::DynamoDB::Table, which cannot be turned into a
 * global table by changing its type (CloudFormation would delete it); a multi-region deployment therefore
 * creates this stack in the primary region first, and every region's chat stack uses its replica
 * (`tableMode: global` in serverless.yml).
 *
 * Multi-Region eventual consistency (last writer wins per item) is chosen on purpose: strong consistency
 * (MRSC) needs all replicas in one region set (US, EU or AP) and three of them (or two and a witness), so it
 * cannot join us-east-1 and eu-west-1. Every region writes at one write region's replica instead, so nothing is
 * ever written in two replicas at once.
 */
/** The chat table's keys (as serverless.yml's ChatTable has them): PK and SK strings. */
export const CHAT_TABLE_KEYS = {
  AttributeDefinitions: [
    { AttributeName: 'PK', AttributeType: 'S' as const },
    { AttributeName: 'SK', AttributeType: 'S' as const },
  ],
  KeySchema: [
    { AttributeName: 'PK', KeyType: 'HASH' as const },
    { AttributeName: 'SK', KeyType: 'RANGE' as const },
  ],
};

/** The index of each owner's sessions by last activity (serverless.yml's ChatTable, decision 23). */
export const CHAT_TABLE_INDEXES = {
  AttributeDefinitions: [
    { AttributeName: 'ownerKey', AttributeType: 'S' as const },
    { AttributeName: 'activityAt', AttributeType: 'S' as const },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: 'SessionsByOwner',
      KeySchema: [
        { AttributeName: 'ownerKey', KeyType: 'HASH' as const },
        { AttributeName: 'activityAt', KeyType: 'RANGE' as const },
      ],
      Projection: {
        ProjectionType: 'INCLUDE' as const,
        NonKeyAttributes: [
          'sessionId',
          'title',
          'titleSearch',
          'searchText',
          'turns',
          'createdAt',
          'updatedAt',
          'expiresAt',
        ],
      },
    },
  ],
};

export function globalTableTemplate(options: { tableName: string; regions: readonly string[] }) {
  return {
    AWSTemplateFormatVersion: '2010-09-09',
    Description: `${options.tableName}: the chat table, replicated to ${options.regions.join(', ')}`,
    Resources: {
      ChatGlobalTable: {
        Type: 'AWS::DynamoDB::GlobalTable',
        Properties: {
          TableName: options.tableName,
          BillingMode: 'PAY_PER_REQUEST',
          ...CHAT_TABLE_KEYS,
          AttributeDefinitions: [
            ...CHAT_TABLE_KEYS.AttributeDefinitions,
            ...CHAT_TABLE_INDEXES.AttributeDefinitions,
          ],
          GlobalSecondaryIndexes: CHAT_TABLE_INDEXES.GlobalSecondaryIndexes,
          MultiRegionConsistency: 'EVENTUAL',
          // Replication between regions reads the stream (required with more than one replica).
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
          // The stack's own region must be a replica; it is the first.
          Replicas: options.regions.map((region) => ({
            Region: region,
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          })),
        },
      },
    },
    Outputs: {
      TableName: { Value: { Ref: 'ChatGlobalTable' } },
      Regions: { Value: options.regions.join(',') },
    },
  };
}

/** The table stack's name, next to the chat stacks (`bedrock-ws-chat-<stage>`) in the primary region. */
export const tableStackName = (service: string, stage: string) => `${service}-${stage}-table`;
