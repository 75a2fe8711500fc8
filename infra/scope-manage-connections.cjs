'use strict';

/**
 * The Serverless Framework grants WebSocket functions `execute-api:ManageConnections` on
 * `arn:aws:execute-api:*:*:*\/@connections/*` (every API in every account). This narrows that statement to
 * POST on this stage of this service's own WebSocket API, which is all PostToConnection needs.
 */
class ScopeManageConnections {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'after:package:compileEvents': () => this.scope() };
  }

  scope() {
    const { provider } = this.serverless.service;
    const resources = provider.compiledCloudFormationTemplate.Resources;
    const stage = this.serverless.getProvider('aws').getStage();
    for (const resource of Object.values(resources)) {
      if (resource.Type !== 'AWS::IAM::Role') continue;
      for (const policy of resource.Properties.Policies ?? []) {
        for (const statement of policy.PolicyDocument.Statement ?? []) {
          const actions = [].concat(statement.Action);
          if (actions.length === 1 && actions[0] === 'execute-api:ManageConnections') {
            statement.Resource = [
              {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':execute-api:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    ':',
                    { Ref: 'WebsocketsApi' },
                    `/${stage}/POST/@connections/*`,
                  ],
                ],
              },
            ];
          }
        }
      }
    }
  }
}

module.exports = ScopeManageConnections;
