/** Course media in cloud storage: uploads with their progress, and short-lived URLs to show what is stored. */
import { cloud } from './cloud';

export interface Uploaded {
  fileId: string;
}

/** Where an upload goes in `folder` (e.g. `courses/<courseId>/media`): `<time>-<name>`, so re-uploading never overwrites. */
export function cloudPathFor(folder: string, file: File): string {
  const safeName = file.name.replace(/[^\w.-]+/g, '_').slice(-60);
  return `${folder}/${Date.now()}-${safeName}`;
}

/** Uploads `file`, calling `onProgress` with 0-100 as it goes. */
export async function upload(cloudPath: string, file: File, onProgress: (percent: number) => void): Promise<Uploaded> {
  const result = await cloud().uploadFile({
    cloudPath,
    filePath: file as unknown as string,
    onUploadProgress: (event: { loaded: number; total: number }) => onProgress(event.total ? Math.round((event.loaded / event.total) * 100) : 0),
  });
  return { fileId: result.fileID };
}

/** Temp URLs for stored files, by file ID (a file that is missing has none). */
export async function tempUrls(fileIds: string[]): Promise<Record<string, string>> {
  const wanted = [...new Set(fileIds.filter(Boolean))];
  if (wanted.length === 0) return {};
  const { fileList } = await cloud().getTempFileURL({ fileList: wanted });
  return Object.fromEntries((fileList ?? []).filter((f) => f.tempFileURL).map((f) => [f.fileID, f.tempFileURL]));
}

/** How long a video or audio file plays, read by the browser from the file itself (whole seconds). */
export function mediaDuration(file: File): Promise<number> {
  return new Promise((resolve, reject) => {
    const element = document.createElement(file.type.startsWith('audio/') ? 'audio' : 'video');
    const url = URL.createObjectURL(file);
    element.preload = 'metadata';
    element.onloadedmetadata = () => {
      URL.revokeObjectURL(url);
      resolve(Math.max(1, Math.round(element.duration)));
    };
    element.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('无法读取音视频时长，请确认文件格式（mp4 / mp3 / m4a）'));
    };
    element.src = url;
  });
}
