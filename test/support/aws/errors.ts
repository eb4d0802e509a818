// An error the test server answers with: the AWS error code (`__type` / `<Code>`), its message and
// the HTTP status real AWS uses for it.
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const notFound = (what = 'secret') => new AwsError('ResourceNotFoundException', `Secrets Manager can't find the specified ${what}.`);
export const markedForDeletion = () =>
  new AwsError('InvalidRequestException', "You can't perform this operation on the secret because it was marked for deletion.");
export const invalidParameter = (message: string) => new AwsError('InvalidParameterException', message);
export const validation = (member: string, constraint = 'Member must not be null') =>
  new AwsError('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`);
