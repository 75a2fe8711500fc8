'use strict';

const { createConnection } = require('node:net');

/**
 * The offline stack starts DynamoDB Local and serverless-offline at the same time (the JVM and the handler
 * build overlap instead of following each other). serverless-dynamodb creates the table at
 * `before:offline:start:init`; this plugin, listed before it, holds that step until DynamoDB Local accepts
 * connections, and fails with one clear line if it never does.
 */
class WaitForDynamoDb {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:offline:start:init': () => this.wait() };
  }

  async wait() {
    const start = this.serverless.service.custom?.['serverless-dynamodb']?.start ?? {};
    const host = start.host ?? '127.0.0.1';
    const port = Number(start.port ?? 8000);
    const deadline = Date.now() + 60_000;
    while (!(await accepts(host, port))) {
      if (Date.now() > deadline)
        throw new Error(`DynamoDB Local did not start on ${host}:${port} within 60 s.`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

function accepts(host, port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

module.exports = WaitForDynamoDb;
