// Pins the public surface of src/kube, so changes to it show in review.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as kube from '../../src/kube/index.js';
import * as online from '../../cli/commands/keys-online/index.js';

test('src/kube exports', () => {
  assert.deepEqual(Object.keys(kube).sort(), [
    'apiError', 'apiStatus', 'controllerRequest', 'defaultControllerNames', 'defaultControllerNamespace', 'fetchCertPem',
    'findController', 'keyLabel', 'kubeRequest', 'listControllerKeys', 'listKeySecrets', 'loadKubeConfig', 'proxySegment',
    'refOf', 'retireControllerKey', 'rotateControllerKey', 'rotateSealedSecret', 'verifySealedSecret',
  ]);
  assert.deepEqual([...kube.defaultControllerNames], ['cloak-controller', 'sealed-secrets-controller', 'sealed-secrets']);
  assert.equal(kube.defaultControllerNamespace, 'kube-system');
});

test('cli/commands/keys-online exports (what the lead wires into keys, cert, seal, kubeseal)', () => {
  assert.deepEqual(Object.keys(online).sort(), [
    'addClusterOptions', 'clusterFlags', 'connectController', 'fetchCertificate', 'fetchCertificateFrom', 'fetchControllerCertificate',
    'reencryptSealedSecretsText', 'registerOnlineKeyCommands', 'validateSealedSecretsText',
  ]);
});
