import { chooseOperatingPoint } from '../../../bench/gates/cross-validate';

// How the gate training scripts pick a second stage's review threshold from its cross-validated curve.
describe('chooseOperatingPoint', () => {
  const point = (reviewAt: number, precision: number, f1: number, benignFlagged: number) =>
    ({ reviewAt, precision, f1, benignFlagged });

  it('takes the best F1 among points as precise as the first stage that flag no more benign text', () => {
    const curve = [point(0.5, 0.8, 0.85, 0.02), point(0.7, 0.88, 0.82, 0.007), point(0.9, 0.9, 0.8, 0.005)];
    expect(chooseOperatingPoint(curve, { precision: 0.88 }, 0.008).reviewAt).toBe(0.7);
  });

  it('falls back to the point flagging the least benign text, not to the best F1, when none qualifies', () => {
    const curve = [point(0.6, 0.82, 0.82, 0.02), point(0.8, 0.88, 0.79, 0.012), point(0.9, 0.88, 0.76, 0.009)];
    expect(chooseOperatingPoint(curve, { precision: 0.88 }, 0.007).reviewAt).toBe(0.9);
  });
});
