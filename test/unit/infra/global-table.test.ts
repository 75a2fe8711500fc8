import { describe, expect, it } from 'vitest';
import { globalTableTemplate, tableStackName } from '../../../infra/global-table.ts';

describe('globalTableTemplate', () => {
  const template = globalTableTemplate({
    tableName: 'bedrock-ws-chat-prod',
    regions: ['us-east-1', 'eu-west-1'],
  });
  const table = template.Resources.ChatGlobalTable;

  it('is the chat table’s layout as a global table with a replica in every region, the primary first', () => {
    expect(table.Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(table.Properties).toMatchObject({
      TableName: 'bedrock-ws-chat-prod',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'PK', KeyType: 'HASH' },
        { AttributeName: 'SK', KeyType: 'RANGE' },
      ],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    expect(table.Properties.Replicas.map((replica) => replica.Region)).toEqual(['us-east-1', 'eu-west-1']);
  });

  it('has the SessionsByOwner index of the single-region table, so listSessions works in every region', () => {
    expect(table.Properties.AttributeDefinitions).toEqual([
      { AttributeName: 'PK', AttributeType: 'S' },
      { AttributeName: 'SK', AttributeType: 'S' },
      { AttributeName: 'ownerKey', AttributeType: 'S' },
      { AttributeName: 'activityAt', AttributeType: 'S' },
    ]);
    expect(table.Properties.GlobalSecondaryIndexes).toMatchObject([
      {
        IndexName: 'SessionsByOwner',
        KeySchema: [
          { AttributeName: 'ownerKey', KeyType: 'HASH' },
          { AttributeName: 'activityAt', KeyType: 'RANGE' },
        ],
      },
    ]);
  });

  it('replicates with eventual consistency and a stream, as decision 21 chooses', () => {
    expect(table.Properties.MultiRegionConsistency).toBe('EVENTUAL');
    expect(table.Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    expect(template.Outputs.Regions.Value).toBe('us-east-1,eu-west-1');
  });

  it('lives in a stack beside the chat stacks', () => {
    expect(tableStackName('bedrock-ws-chat', 'prod')).toBe('bedrock-ws-chat-prod-table');
  });
});
