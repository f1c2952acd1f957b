// What the interop matrix's ws client and server share: the generated messages every peer makes the same way,
// the permessage-deflate variants, and base64 for fields that may hold tabs or line breaks.
'use strict';

function generate(text, size) {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = text ? 97 + (i % 26) : (i * 31 + 7) & 0xff;
  return text ? bytes.toString('latin1') : bytes;
}

function deflateOptions(variant, bits) {
  switch (variant) {
    case 'NONE': return false;
    case 'DEFAULT': return { threshold: 0 };
    case 'NO_CONTEXT_TAKEOVER':
      return { threshold: 0, serverNoContextTakeover: true, clientNoContextTakeover: true };
    case 'SMALLEST_WINDOW': return { threshold: 0, serverMaxWindowBits: bits, clientMaxWindowBits: bits };
    default: throw new Error('unknown deflate variant ' + variant);
  }
}

const b64 = (buffer) => Buffer.from(buffer).toString('base64') || '-';
const unb64 = (field) => (field === '-' ? Buffer.alloc(0) : Buffer.from(field, 'base64'));

module.exports = { generate, deflateOptions, b64, unb64 };
