// Photos shrunk on the phone before they are kept or sent: a phone's camera takes 4,000-pixel,
// 5–10 MB pictures; a case needs to show what was seen. Long side at most 1,920 px, JPEG, and
// under 1 MB (the quality, then the size, stepped down until it fits). What the browser cannot
// decode (not a picture, a format it does not know) is left as it is: the server judges it and
// says why it was refused.
(function (root) {
  "use strict";

  const LONG_SIDE = 1920;
  const TARGET_BYTES = 1024 * 1024 - 16 * 1024; // under 1 MB, with room to spare
  const QUALITIES = [0.85, 0.75, 0.65, 0.5];

  function decode(file) {
    if (root.createImageBitmap) {
      return root.createImageBitmap(file, { imageOrientation: "from-image" });
    }
    return new Promise((resolve, reject) => {
      const img = new Image();
      const url = URL.createObjectURL(file);
      img.onload = () => { URL.revokeObjectURL(url); resolve(img); };
      img.onerror = () => { URL.revokeObjectURL(url); reject(new Error("undecodable")); };
      img.src = url;
    });
  }

  function encode(image, width, height, quality) {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    const context = canvas.getContext("2d");
    context.fillStyle = "#fff"; // a transparent PNG's background, as JPEG has no transparency
    context.fillRect(0, 0, width, height);
    context.drawImage(image, 0, 0, width, height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  }

  function jpegName(name) {
    return `${(name || "photo").replace(/\.[^.]*$/, "")}.jpg`;
  }

  // A File no larger than needed; the original when it is already small enough or undecodable.
  async function shrink(file) {
    if (!/^image\//.test(file.type || "image/")) return file;
    let image;
    try {
      image = await decode(file);
    } catch (error) {
      return file;
    }
    const width = image.width || image.naturalWidth;
    const height = image.height || image.naturalHeight;
    const longest = Math.max(width, height);
    const isJpeg = /jpe?g$/i.test(file.type);
    if (longest <= LONG_SIDE && file.size <= TARGET_BYTES && isJpeg) return file;
    let scale = Math.min(1, LONG_SIDE / longest);
    for (let round = 0; round < 6; round += 1) {
      const w = Math.max(1, Math.round(width * scale));
      const h = Math.max(1, Math.round(height * scale));
      for (const quality of QUALITIES) {
        const blob = await encode(image, w, h, quality);
        if (blob && blob.size <= TARGET_BYTES) {
          if (image.close) image.close();
          // Already smaller as it was: keep the original (a small PNG drawing stays sharp).
          if (file.size <= blob.size && longest <= LONG_SIDE) return file;
          return new File([blob], jpegName(file.name), { type: "image/jpeg", lastModified: file.lastModified });
        }
      }
      scale *= 0.75; // still too big at the lowest quality: fewer pixels
    }
    if (image.close) image.close();
    return file;
  }

  root.FieldPhotos = { shrink, LONG_SIDE, TARGET_BYTES };
})(window);
