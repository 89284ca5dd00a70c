// Produces or consumes AccessEvents with kafkajs and @kafkajs/confluent-schema-registry: an Avro client
// nobody at Tierflow wrote, used by AvroSerdeInteropIT to prove our serde is wire-compatible with it.
//
//   node interop.mjs produce --brokers H:P --registry URL --topic T --schema-file F --key K --event JSON
//       registers F under <topic>-value, writes one record, prints {"schemaId": n}
//   node interop.mjs consume --brokers H:P --registry URL --topic T --count N [--timeout-ms MS]
//       reads N records from the beginning, prints one JSON line per decoded value
import { readFileSync } from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const opts = {};
  for (let i = 0; i < rest.length; i += 2) {
    if (!rest[i].startsWith('--') || rest[i + 1] === undefined) {
      throw new Error(`expected --name value pairs, got ${rest[i]}`);
    }
    opts[rest[i].slice(2)] = rest[i + 1];
  }
  for (const required of ['brokers', 'registry', 'topic']) {
    if (!opts[required]) throw new Error(`missing --${required}`);
  }
  return { command, opts };
}

// The library refuses to register when the subject's configured compatibility differs from the one it is
// given (default BACKWARD). Confluent answers 404 for a subject with no config; Apicurio answers with its
// global level (NONE). Ask first and pass what the registry says, so the test runs against either.
async function compatibilityOf(registryUrl, subject) {
  const response = await fetch(`${registryUrl}/config/${encodeURIComponent(subject)}`);
  if (response.status === 404) return 'BACKWARD';
  if (!response.ok) throw new Error(`GET /config/${subject} answered ${response.status}`);
  const body = await response.json();
  return (body.compatibilityLevel || body.compatibility || 'BACKWARD').toUpperCase();
}

async function produce(kafka, registry, opts) {
  const subject = `${opts.topic}-value`;
  const schema = readFileSync(opts['schema-file'], 'utf8');
  const compatibility = await compatibilityOf(opts.registry, subject);
  const { id } = await registry.register({ type: SchemaType.AVRO, schema }, { subject, compatibility });
  const value = await registry.encode(id, JSON.parse(opts.event));
  const producer = kafka.producer();
  await producer.connect();
  try {
    await producer.send({ topic: opts.topic, messages: [{ key: opts.key, value }] });
  } finally {
    await producer.disconnect();
  }
  console.log(JSON.stringify({ schemaId: id }));
}

async function consume(kafka, registry, opts) {
  const count = Number(opts.count || 1);
  const timeoutMs = Number(opts['timeout-ms'] || 30000);
  const consumer = kafka.consumer({ groupId: `interop-${process.pid}-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: opts.topic, fromBeginning: true });
  const decoded = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`only ${decoded.length} of ${count} records arrived within ${timeoutMs} ms`)),
      timeoutMs);
    consumer.run({
      eachMessage: async ({ message }) => {
        try {
          decoded.push(await registry.decode(message.value));
        } catch (e) {
          clearTimeout(timer);
          reject(e);
          return;
        }
        if (decoded.length >= count) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  }).finally(() => consumer.disconnect());
  for (const value of decoded.slice(0, count)) {
    // Avro longs may arrive as BigInt or Long-like objects depending on avsc's settings: print plain numbers.
    console.log(JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? Number(v) : v)));
  }
}

const { command, opts } = parseArgs(process.argv.slice(2));
const kafka = new Kafka({ clientId: 'tierflow-interop', brokers: opts.brokers.split(','), logLevel: logLevel.ERROR });
const registry = new SchemaRegistry({ host: opts.registry });
try {
  if (command === 'produce') await produce(kafka, registry, opts);
  else if (command === 'consume') await consume(kafka, registry, opts);
  else throw new Error(`unknown command ${command}: use produce or consume`);
} catch (e) {
  console.error(`interop ${command} failed: ${e.stack || e}`);
  process.exit(1);
}
