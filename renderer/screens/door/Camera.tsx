/**
 * The door's camera: frames from getUserMedia, decoded a few times a second with jsQR (loaded only when the camera
 * is turned on, so the kiosk and desk never carry it).
 */
import { useEffect, useRef, useState } from 'react';
import { useWords } from '../../i18n/i18n';

export function Camera({ onCode }: { onCode(code: string): void }) {
  const w = useWords();
  const video = useRef<HTMLVideoElement>(null);
  const [denied, setDenied] = useState(false);
  const f = useRef(onCode);
  f.current = onCode;
  useEffect(() => {
    let stream: MediaStream | null = null;
    let timer: ReturnType<typeof setInterval> | undefined;
    let stopped = false;
    void (async () => {
      try {
        const [{ default: jsQR }, media] = await Promise.all([
          import('jsqr'),
          navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false }),
        ]);
        stream = media;
        if (stopped || !video.current) return media.getTracks().forEach((t) => t.stop());
        video.current.srcObject = media;
        await video.current.play();
        const canvas = document.createElement('canvas');
        const g = canvas.getContext('2d', { willReadFrequently: true })!;
        timer = setInterval(() => {
          const v = video.current;
          if (!v || v.videoWidth === 0) return;
          canvas.width = v.videoWidth;
          canvas.height = v.videoHeight;
          g.drawImage(v, 0, 0);
          const img = g.getImageData(0, 0, canvas.width, canvas.height);
          const qr = jsQR(img.data, img.width, img.height, { inversionAttempts: 'dontInvert' });
          if (qr?.data) f.current(qr.data);
        }, 200);
      } catch {
        setDenied(true);
      }
    })();
    return () => {
      stopped = true;
      clearInterval(timer);
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);
  if (denied)
    return (
      <p className="notice notice-warn" role="alert">
        {w.door.cameraDenied}
      </p>
    );
  return <video ref={video} className="camera" muted playsInline aria-label={w.door.useCamera} />;
}
