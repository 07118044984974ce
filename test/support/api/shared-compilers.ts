import AjvCompiler from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

/**
 * Fastify's own schema compilers (the ones it makes for each instance), kept for the whole test file.
 *
 * Each Fastify instance builds a new Ajv and a new fast-json-stringify serializer for every route's schemas, and the API
 * tests build an app per test: compiling the same module-level schemas again was most of the pure project's time. An
 * Ajv pool with the same options hands back the same compiled validators, and a serializer is kept per schema object
 * and options, so every app of a file answers with exactly the functions a lone app would compile, compiled once.
 */
const buildValidator = AjvCompiler();
const serializerFactory = SerializerSelector();
type SerializerFactory = ReturnType<typeof SerializerSelector>;
type Serializer = ReturnType<ReturnType<SerializerFactory>>;
const serializers = new WeakMap<object, Map<string, Serializer>>();

const buildSerializer: SerializerFactory = (externalSchemas, options) => {
  const compile = serializerFactory(externalSchemas, options);
  const key = JSON.stringify({ externalSchemas, options });
  return (route) => {
    if (typeof route.schema !== 'object' || route.schema === null) return compile(route);
    let byOptions = serializers.get(route.schema);
    if (!byOptions) serializers.set(route.schema, (byOptions = new Map()));
    let serializer = byOptions.get(key);
    if (!serializer) byOptions.set(key, (serializer = compile(route)));
    return serializer;
  };
};

/** buildApp's second argument in tests that build many apps. */
export const sharedCompilers: FastifyServerOptions = {
  schemaController: { compilersFactory: { buildValidator, buildSerializer } },
};
