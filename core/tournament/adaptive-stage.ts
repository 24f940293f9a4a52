/** Stage of the adaptive tournament's halving rounds (its final uses `final`). */
export const adaptiveStage = 'adaptive';
