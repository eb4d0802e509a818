// The seam `seal`, `cert` and `kubeseal` use to reach the controller (loaded only without --cert).
export { fetchControllerCertificate } from '../commands/keys-online/fetch-cert.js';
