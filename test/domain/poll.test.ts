import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkVoteSelection, describeSelectionRule } from "../../src/domain/poll.js";
import type { Poll } from "../../src/domain/types.js";
import { anyText } from "./arbitraries.js";
import { inputError, returnsOrRefuses } from "./input-error.js";

const LUNCH: Poll = {
  name: "Lunch?",
  options: ["Pizza", "Sushi", "Nasi goreng", "Café au lait"],
  selectableCount: 1,
};
const TOPPINGS: Poll = {
  name: "Toppings",
  options: ["Cheese", "Ham", "Pineapple", "Olives"],
  selectableCount: 2,
};
const ANY: Poll = { ...TOPPINGS, name: "Any", selectableCount: 0 };

describe("checkVoteSelection", () => {
  it("when the option matches the poll exactly, then it is returned", () => {
    expect(checkVoteSelection(LUNCH, ["Sushi"])).toEqual(["Sushi"]);
  });

  it("when the option differs only in case, spacing or Unicode form, then the poll's exact text is used", () => {
    expect(checkVoteSelection(LUNCH, ["nasi  GORENG"])).toEqual(["Nasi goreng"]);
    expect(checkVoteSelection(LUNCH, [" pizza "])).toEqual(["Pizza"]);
    // "Café" typed with a combining accent (NFD), as macOS input sometimes produces.
    expect(checkVoteSelection(LUNCH, ["Cafe\u0301 au lait"])).toEqual(["Café au lait"]);
  });

  it("when two poll options differ only in case, then the exact one wins and a loose one is refused", () => {
    const poll: Poll = { name: "Case", options: ["yes", "YES"], selectableCount: 0 };
    expect(checkVoteSelection(poll, ["YES"])).toEqual(["YES"]);
    expect(inputError(() => checkVoteSelection(poll, ["Yes"])).message).toContain('"Yes" is not an option');
  });

  it("when an option is not in the poll, then the error names it and lists the valid ones", () => {
    const error = inputError(() => checkVoteSelection(LUNCH, ["Pasta"]));
    expect(error.message).toBe(
      '"Pasta" is not an option of the poll "Lunch?". Its options are "Pizza", "Sushi", "Nasi goreng", "Café au lait".',
    );
    expect(error.field).toBe("options");
  });

  it("when several options are not in the poll, then the error names all of them", () => {
    expect(inputError(() => checkVoteSelection(TOPPINGS, ["Ham", "Anchovies", "Corn"])).message).toContain(
      '"Anchovies", "Corn" are not options of the poll "Toppings"',
    );
  });

  it("when a single-choice poll gets two options, then the error says to choose one", () => {
    const error = inputError(() => checkVoteSelection(LUNCH, ["Pizza", "Sushi"]));
    expect(error.message).toBe(
      '"Lunch?" is a single-choice poll: choose one option, not 2 ("Pizza", "Sushi").',
    );
    expect(error.field).toBe("options");
  });

  it("when a poll allows up to 2 and gets 3, then the error states the limit", () => {
    expect(inputError(() => checkVoteSelection(TOPPINGS, ["Cheese", "Ham", "Olives"])).message).toBe(
      '"Toppings" allows up to 2 options; you chose 3.',
    );
    expect(checkVoteSelection(TOPPINGS, ["Cheese", "Ham"])).toEqual(["Cheese", "Ham"]);
  });

  it("when a poll allows any number, then every option may be chosen", () => {
    expect(checkVoteSelection(ANY, ["Olives", "Cheese", "Ham", "Pineapple"])).toEqual([
      "Olives",
      "Cheese",
      "Ham",
      "Pineapple",
    ]);
  });

  it("when the same option is given twice, in any spelling, then it counts once", () => {
    expect(checkVoteSelection(LUNCH, ["Pizza", "pizza", " Pizza"])).toEqual(["Pizza"]);
  });

  it("when no option is given, then the error states the poll's rule", () => {
    expect(inputError(() => checkVoteSelection(TOPPINGS, [])).message).toBe("Choose up to 2 options.");
    expect(inputError(() => checkVoteSelection(LUNCH, ["", "  "])).message).toBe("Choose one option.");
    expect(inputError(() => checkVoteSelection(undefined, ["\n"])).message).toBe(
      "Give at least one option to vote for.",
    );
  });

  it("when the poll is not known, then the trimmed, de-duplicated options are returned as given", () => {
    expect(checkVoteSelection(undefined, [" Pizza", "Sushi ", "", "Pizza"])).toEqual(["Pizza", "Sushi"]);
  });

  it("when an option is longer than WhatsApp's 100 characters, then it is refused", () => {
    expect(checkVoteSelection(undefined, ["🍕".repeat(100)])).toEqual(["🍕".repeat(100)]);
    expect(inputError(() => checkVoteSelection(undefined, ["x".repeat(101)])).message).toContain(
      "longer than WhatsApp's 100 characters",
    );
  });

  it("when more than 12 different options are given, then they are refused (a poll has at most 12)", () => {
    const options = Array.from({ length: 13 }, (_, i) => `Option ${i}`);
    expect(inputError(() => checkVoteSelection(undefined, options)).message).toContain("at most 12 options");
  });

  describe("properties", () => {
    const poll: fc.Arbitrary<Poll> = fc.record({
      name: fc.string(),
      options: fc.array(fc.oneof(fc.string(), anyText), { minLength: 2, maxLength: 12 }),
      selectableCount: fc.nat(13),
    });

    it("when given any poll (or none) and any options, then it returns a valid selection or a UserInputError", () => {
      fc.assert(
        fc.property(fc.option(poll, { nil: undefined }), fc.array(anyText), (p, options) => {
          returnsOrRefuses(() => {
            const chosen = checkVoteSelection(p, options);
            expect(chosen.length).toBeGreaterThan(0);
            expect(new Set(chosen).size).toBe(chosen.length);
            if (p) {
              for (const option of chosen) expect(p.options).toContain(option);
              if (p.selectableCount > 0) expect(chosen.length).toBeLessThanOrEqual(p.selectableCount);
            }
          });
        }),
      );
    });

    it("when options of the poll are chosen within its limit and re-spelled, then the exact texts come back", () => {
      const word = fc.stringMatching(/^[A-Za-z][a-z]{0,8}( [a-z]{1,8})?$/);
      const distinctPoll = fc
        .uniqueArray(word, { minLength: 2, maxLength: 12, selector: (w) => w.toLowerCase() })
        .chain((options) =>
          fc.record({
            options: fc.constant(options),
            selectableCount: fc.nat(options.length),
            chosen: fc.shuffledSubarray(options, { minLength: 1 }),
          }),
        );
      fc.assert(
        fc.property(distinctPoll, fc.boolean(), ({ options, selectableCount, chosen }, upper) => {
          const p: Poll = { name: "P", options, selectableCount };
          const limited = selectableCount > 0 ? chosen.slice(0, selectableCount) : chosen;
          const respelled = limited.map((o) => ` ${upper ? o.toUpperCase() : o.toLowerCase()}  `);
          expect(checkVoteSelection(p, respelled)).toEqual(limited);
        }),
      );
    });
  });
});

describe("describeSelectionRule", () => {
  it("when a poll is single choice, up to n, or any number, then the rule reads naturally", () => {
    expect(describeSelectionRule(LUNCH)).toBe("Choose one option");
    expect(describeSelectionRule({ ...TOPPINGS, selectableCount: 3 })).toBe("Choose up to 3 options");
    expect(describeSelectionRule(ANY)).toBe("Choose any number of options");
  });
});
