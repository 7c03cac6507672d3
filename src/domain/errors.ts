// Refusals the domain raises; the HTTP layer turns each into its status and error code.

export class DomainError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly checks?: unknown[],
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const notFound = (what: string) => new DomainError(404, "not_found", `${what} not found`);
export const forbidden = (message = "You are not allowed to do this") => new DomainError(403, "forbidden", message);
export const conflict = (code: string, message: string, checks?: unknown[]) => new DomainError(409, code, message, checks);
export const badRequest = (code: string, message: string) => new DomainError(400, code, message);
