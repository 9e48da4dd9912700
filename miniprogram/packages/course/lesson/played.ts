// The played ranges live in the main package: the audio service (services/audio.ts) records them too.
export { PlayedRanges, type PlayedRange } from '../../../utils/played';
