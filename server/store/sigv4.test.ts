import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_SHA256, signRequest, uriEncode } from './sigv4';

// The worked example of AWS's SigV4-for-S3 documentation ("GET Object"), byte for byte.
test('signs the AWS documentation example exactly', () => {
  const headers = signRequest(
    {
      method: 'GET',
      url: new URL('https://examplebucket.s3.amazonaws.com/test.txt'),
      headers: { range: 'bytes=0-9' },
      payloadHash: EMPTY_SHA256,
    },
    { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', region: 'us-east-1' },
    new Date('2013-05-24T00:00:00Z'),
  );
  assert.equal(
    headers.authorization,
    'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
      'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
      'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
  );
  assert.equal(headers['x-amz-date'], '20130524T000000Z');
});

test('URI encoding keeps unreserved characters and slashes in paths only', () => {
  assert.equal(uriEncode('a b/c~d', true), 'a%20b/c~d');
  assert.equal(uriEncode('a b/c', false), 'a%20b%2Fc');
  assert.equal(uriEncode('é', false), '%C3%A9');
});
