import { readFileSync } from 'node:fs';

/** One shape of an AWS service model, reduced by derive.py to what validation and conformance need. */
export interface Shape {
  type:
    | 'structure'
    | 'list'
    | 'map'
    | 'string'
    | 'integer'
    | 'long'
    | 'float'
    | 'double'
    | 'boolean'
    | string;
  members?: Record<string, { shape: string; location?: string; locationName?: string }>;
  required?: string[];
  member?: string;
  key?: string;
  value?: string;
  min?: number;
  max?: number;
  pattern?: string;
  enum?: string[];
  sensitive?: boolean;
  union?: boolean;
  document?: boolean;
  eventstream?: boolean;
  exception?: boolean;
}

export interface ServiceShapes {
  apiVersion: string;
  signingName: string;
  operations: Record<string, { input: string; output: string; errors: string[] }>;
  shapes: Record<string, Shape>;
}

export type ServiceName = 'bedrock-runtime' | 'bedrock-agent-runtime';

let loaded: Record<ServiceName, ServiceShapes> | undefined;

/** The shapes derived from botocore's service models (emulator/service-model/bedrock-shapes.json), read once. */
export function serviceShapes(service: ServiceName): ServiceShapes {
  loaded ??= (
    JSON.parse(readFileSync(new URL('./bedrock-shapes.json', import.meta.url), 'utf8')) as {
      services: Record<ServiceName, ServiceShapes>;
    }
  ).services;
  return loaded[service];
}
