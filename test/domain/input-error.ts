// Assertions shared by the domain tests: what a user sees when their input is rejected.
import { expect } from "vitest";
import { UserInputError } from "../../src/errors.js";

/** Runs `fn`, expects a UserInputError and returns it so the test can look at its message and fields. */
export function inputError(fn: () => unknown): UserInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return error as UserInputError;
  }
  throw new Error("expected a UserInputError, but the call returned normally");
}

/**
 * For property tests: the call may return anything or refuse the input with a UserInputError;
 * any other error (a TypeError, a RangeError from a regex, a URIError…) is a bug and is re-thrown.
 */
export function returnsOrRefuses(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error;
  }
}
